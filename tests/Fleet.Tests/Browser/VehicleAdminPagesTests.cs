using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>The unit's vehicle administrator in a browser: registers a car, seals one, and sees their unit only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VehicleAdminPagesTests(BrowserFixture fleet)
{
    [Fact]
    public async Task The_vehicle_administrator_registers_a_car_and_finds_it_by_part_of_its_plate()
    {
        const string body = "LFMPWT3E0N7000017";
        var vin = body[..8] + Fleet.Api.Features.Vehicles.Vins.CheckDigit(body) + body[9..];
        var wrongVin = body[..8] + (vin[8] == '1' ? '2' : '1') + body[9..];
        await using var visit = await fleet.SignIn("vadmin");
        var page = visit.Page;
        await visit.Navigate("车辆");
        await page.GetByRole(AriaRole.Link, new() { Name = "登记车辆" }).ClickAsync();
        await page.GetByLabel("车牌号").FillAsync("鲁A7Q2K8");
        await page.GetByLabel("车架号（VIN）").FillAsync(wrongVin);
        await page.GetByLabel("品牌").FillAsync("比亚迪");
        await page.GetByLabel("型号").FillAsync("秦PLUS");
        await page.GetByLabel("类别").SelectOptionAsync(new SelectOptionValue { Label = "一般公务用车" });
        await page.GetByLabel("排量（升，电动车填 0）").FillAsync("1.5");
        await page.GetByLabel("购置价格（元）").FillAsync("150000");
        await page.GetByLabel("购置日期").FillAsync("2026-05-01");
        await page.GetByLabel("来源").SelectOptionAsync(new SelectOptionValue { Label = "编制内配备" });
        await page.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();

        // A VIN with a wrong check digit is refused in Chinese against its field, and nothing is registered.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("车架号");
        await page.GetByLabel("车架号（VIN）").FillAsync(vin);
        // The fuel card as printed on it, with its help read out with the field.
        var card = page.GetByLabel("油卡号（选填）");
        await Assertions.Expect(card).ToHaveAccessibleDescriptionAsync("加油记录只写卡号时，按此号码对应到本车；车辆处置后油卡自动解除。");
        await card.FillAsync("1000 1134 0000 7777 888");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已登记 鲁A7Q2K8");
        await page.GetByLabel("车牌号").FillAsync("7Q2");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "鲁A7Q2K8" });
        await Assertions.Expect(row).ToContainTextAsync("一般公务用车");
        await Assertions.Expect(row).ToContainTextAsync("区委办公室");
        using var api = await fleet.ApiAs("vadmin");
        var vehicle = (await api.GetFromJsonAsync<JsonObject>("/api/vehicles?plateNumber=7Q2K8"))!["items"]!.AsArray().Single()!;
        Assert.Equal("1000113400007777888", (string)vehicle["fuelCardNumber"]!);
    }

    [Fact]
    public async Task The_vehicle_administrator_seals_a_car_before_the_deadline_from_the_home_page()
    {
        var schedule = await fleet.SpringFestival();
        var (_, plate) = (await fleet.CarsOfD01())[0];
        await using var visit = await fleet.SignIn("vadmin");
        var page = visit.Page;
        // Home: the countdown to the deadline and the cars still to seal, one action each.
        await Assertions.Expect(page.GetByText("距封存时限还有")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "封存 / 申请豁免 " + plate }).ClickAsync();
        await page.GetByLabel("封条号").FillAsync("FT-2027-0001");
        await page.GetByLabel("停放地点").FillAsync("区委大院地下停车场 B2-17");
        await page.GetByRole(AriaRole.Button, new() { Name = "封存", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已封存");
        await Assertions.Expect(page.GetByText("状态：已封存")).ToBeVisibleAsync();

        // The API reads the same record the page wrote.
        using var api = await fleet.ApiAs("vadmin");
        var orders = (await api.GetFromJsonAsync<JsonObject>($"/api/sealup-schedules/{schedule}/orders?plateNumber={Uri.EscapeDataString(plate)}"))!;
        var order = orders["items"]!.AsArray().Single()!;
        Assert.Equal("Sealed", (string)order["status"]!);
        Assert.Equal("FT-2027-0001", (string)order["sealNumber"]!);
    }

    [Fact]
    public async Task A_stale_edit_explains_that_someone_else_changed_the_car_and_saves_nothing()
    {
        var (id, plate) = (await fleet.CarsOfD01())[0];
        await using var visit = await fleet.SignIn("vadmin");
        var first = visit.Page;
        var second = await first.Context.NewPageAsync();
        await first.GotoAsync($"/vehicles/{id}/edit");
        await second.GotoAsync($"/vehicles/{id}/edit");
        await first.GetByLabel("型号").FillAsync("帕萨特 2.0T");
        await first.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存 " + plate);

        await second.GetByLabel("型号").FillAsync("迈腾");
        await second.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("已被他人修改");
        await second.GotoAsync($"/vehicles/{id}/edit");
        await Assertions.Expect(second.GetByLabel("型号")).ToHaveValueAsync("帕萨特 2.0T");
    }

    [Fact]
    public async Task The_vehicle_administrator_never_sees_another_units_cars()
    {
        using var admin = await fleet.ApiAs("admin");
        var other = (await admin.GetFromJsonAsync<JsonObject>("/api/vehicles?plateNumber=%E9%B2%81AVLK2W"))!["items"]!.AsArray().Single()!;
        await using var visit = await fleet.SignIn("vadmin");
        var page = visit.Page;
        await page.GotoAsync("/vehicles?plate=VLK2W");
        await Assertions.Expect(page.GetByText("暂无记录")).ToBeVisibleAsync();
        visit.ExpectingNotFound = true;
        var edit = await page.GotoAsync($"/vehicles/{(string)other["id"]!}/edit");
        Assert.Equal(404, edit!.Status);
        // Nor through the API with the page's session.
        var read = await page.APIRequest.GetAsync($"/api/vehicles/{(string)other["id"]!}");
        Assert.Equal(404, read.Status);
    }
}

/// <summary>The import page: row errors are shown against their rows, in Chinese, and nothing is imported.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportPageTests(BrowserFixture fleet)
{
    [Fact]
    public async Task A_workbook_with_a_bad_row_shows_that_rows_error_and_imports_nothing()
    {
        var good = ImportTests.Row("D01");
        var bad = ImportTests.Row("D01", litres: "1,5");
        var book = ImportTests.Book([good, bad]);
        await using var visit = await fleet.SignIn("vadmin");
        var page = visit.Page;
        await visit.Navigate("车辆");
        await page.GetByRole(AriaRole.Link, new() { Name = "导入" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载导入模板" })).ToHaveAttributeAsync("href", "/api/vehicles/import/template.xlsx");
        await page.GetByLabel("工作簿（.xlsx）").SetInputFilesAsync(new FilePayload
        {
            Name = "车辆.xlsx",
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = book,
        });
        await page.GetByLabel("只检查，不导入").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "上传" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "第 3 行" });
        await Assertions.Expect(row).ToContainTextAsync("排量");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "第 2 行" })).ToHaveCountAsync(0);
        await page.GotoAsync("/vehicles?plate=" + Uri.EscapeDataString((string)good[0]!));
        await Assertions.Expect(page.GetByText("暂无记录")).ToBeVisibleAsync();
    }
}
