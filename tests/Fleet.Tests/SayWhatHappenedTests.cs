using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fleet.Tests;

/// <summary>
/// What a person typed the way a phone keyboard types it is taken as meant, and a person who cannot go on is told why:
/// full-width codes, a deactivated account, a session ended by someone else's change.
/// </summary>
public partial class SayWhatHappenedTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private const string Password = "a-long-test-password";

    /// <summary>Letters and digits as a Chinese keyboard's full-width mode types them: Ａ１ for A1.</summary>
    private static string Fullwidth(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' ? (char)(c + 0xFEE0) : c));

    [Fact]
    public async Task Full_width_plates_vins_and_unit_codes_are_the_same_as_their_ordinary_forms()
    {
        var admin = fleet.As(As.Admin);
        var typed = Make.Vehicle(fleet.UnitA);
        var (plate, vin) = ((string)typed["plateNumber"]!, (string)typed["vin"]!);
        typed["plateNumber"] = Fullwidth(plate[..1] + " " + plate[1..].ToLowerInvariant());
        typed["vin"] = Fullwidth(vin);
        var registered = await Client.Read(await admin.Post("/api/vehicles", typed), HttpStatusCode.Created);
        Assert.Equal(plate, (string)registered["plateNumber"]!);
        Assert.Equal(vin, (string)registered["vin"]!);

        // Found, checked and refused as a duplicate by its full-width form alike.
        var found = (await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(Fullwidth(plate[2..]))}"))["items"]!.AsArray();
        Assert.Contains(found, v => (string)v!["plateNumber"]! == plate);
        var check = await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks", new
        {
            plateNumber = Fullwidth(plate),
            checkedAt = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
            location = "地下停车场",
            finding = "Compliant",
        }), HttpStatusCode.Created);
        Assert.Equal(Make.Id(registered), (Guid)check["vehicleId"]!);
        typed["vin"] = vin;
        await Client.Problem(await admin.Post("/api/vehicles", typed), HttpStatusCode.Conflict);

        var code = FleetFixture.Code("FW");
        var unit = await Client.Read(await admin.Post("/api/units", new { code = Fullwidth(code), name = "全角代码单位", kind = "Department", vehicleQuota = 3 }), HttpStatusCode.Created);
        Assert.Equal(code, (string)unit["code"]!);
        await Client.Problem(await admin.Post("/api/units", new { code, name = "同一代码", kind = "Department", vehicleQuota = 3 }), HttpStatusCode.Conflict);
        Assert.Single((await admin.GetJson($"/api/units?code={Uri.EscapeDataString(Fullwidth(code))}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Registering_a_car_over_the_units_quota_on_the_page_says_which_violation_it_opened()
    {
        var code = FleetFixture.Code("Q0");
        await Client.Read(await fleet.As(As.Admin).Post("/api/units", new { code, name = "零编制单位", kind = "Department", vehicleQuota = 0 }), HttpStatusCode.Created);
        using var browser = await PageForms.SignedIn(fleet.Factory, "admin", FleetFactory.AdminPassword);
        var plate = Make.Plate();
        var form = await browser.GetStringAsync("/vehicles/new");
        var saved = await browser.PostAsync("/vehicles/new", PageForms.Form(form, new()
        {
            ["Input.PlateNumber"] = plate,
            ["Input.Vin"] = Make.Vin(),
            ["Input.Make"] = "一汽大众",
            ["Input.Model"] = "帕萨特",
            ["Input.Category"] = "General",
            ["Input.EngineDisplacement"] = "1.4",
            ["Input.PurchasePrice"] = "150000",
            ["Input.AcquiredOn"] = "2024-05-01",
            ["Input.Source"] = "Allocated",
            ["Input.UnitCode"] = code,
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var shown = WebUtility.HtmlDecode(await browser.GetStringAsync(saved.Headers.Location!.OriginalString));
        Assert.Contains($"已登记 {plate}；同时开具违规 1 起：超编制配备", shown);
    }

    [Fact]
    public async Task The_auditors_home_shows_each_units_seal_up_as_progress_until_the_deadline_and_as_a_rate_after_it()
    {
        await using var f = await FleetFixture.StartAsync();
        var va = f.As(As.VehicleAdmin);
        var cars = new List<Guid>();
        for (var i = 0; i < 4; i++) cars.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));
        var admin = f.As(As.Admin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 25)), unitIds = new[] { f.UnitA } }));
        await Client.Read(await va.Seal(schedule, cars[0]), HttpStatusCode.OK);
        var (username, password) = f.Account(As.Auditor);
        async Task<string> Home()
        {
            using var browser = await PageForms.SignedIn(f.Factory, username, password);
            return WebUtility.HtmlDecode(await browser.GetStringAsync("/"));
        }

        var before = await Home();
        Assert.Contains("封存进度：按单位", before);
        Assert.Contains("已封存 1 / 应封存 4", before);
        Assert.Contains("封存进度最慢的单位", before);
        Assert.DoesNotContain("封存合规率：按单位", before);

        f.Factory.Clock.Advance(TimeSpan.FromDays(26));
        var after = await Home();
        Assert.Contains("封存合规率：按单位", after);
        Assert.Contains("25.0%", after);
        Assert.DoesNotContain("已封存 1 / 应封存 4", after);
    }

    [Fact]
    public async Task A_car_given_with_the_wrong_unit_is_refused_naming_the_unit_it_is_registered_by()
    {
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var unitA = await fleet.As(As.Admin).GetJson($"/api/units/{fleet.UnitA}");
        var problem = await Client.Problem(await fleet.As(As.Inspector).Post("/api/spot-checks", new
        {
            vehicleId = vehicle,
            unitId = fleet.UnitB,
            checkedAt = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
            location = "大院",
            finding = "PrivateUse",
        }), HttpStatusCode.BadRequest, "unitId");
        Assert.Equal("Violations.OtherUnit", (string)problem["code"]!);
        var said = (string)problem["errors"]!["unitId"]![0]!;
        Assert.Contains((string)unitA["name"]!, said);
        Assert.Contains((string)unitA["code"]!, said);
    }

    [Fact]
    public async Task The_audit_page_names_people_units_and_cars_and_shows_every_code_and_field_in_chinese()
    {
        await using var f = await FleetFixture.StartAsync();
        var vehicle = await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA));
        var plate = (string)vehicle["plateNumber"]!;
        await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks", new
        {
            vehicleId = Make.Id(vehicle),
            checkedAt = f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
            location = "地下停车场",
            finding = "PrivateUse",
        }), HttpStatusCode.Created);
        (await Workbook.Download(f.As(As.Auditor), $"/api/reports/violations.xlsx?unitId={f.UnitA}")).Dispose();
        var unitA = (string)(await f.As(As.Admin).GetJson($"/api/units/{f.UnitA}"))["name"]!;

        var (username, password) = f.Account(As.Auditor);
        using var browser = await PageForms.SignedIn(f.Factory, username, password);
        var html = await browser.GetStringAsync("/audit");
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..];
        // What a person reads: the text of the page, not the links' addresses.
        var text = WebUtility.HtmlDecode(Regex.Replace(main, "<[^>]+>", " "));

        Assert.Contains(plate, text);
        Assert.Contains(unitA, text);
        Assert.Contains("公车私用", text);
        Assert.Contains("单位车辆管理员", text);
        Assert.Contains("检查结果", text);
        Assert.Contains("下载报表", text);
        Assert.Contains("报表：违规情况", text);
        Assert.Contains($"筛选条件：单位 {unitA}", text);
        Assert.DoesNotMatch("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}", text);
        foreach (var code in new[] { "PrivateUse", "VehicleAdmin", "Inspector", "Compliant", "Open", "recordedAt", "unitId", "{\"" })
            Assert.DoesNotContain(code, text);
    }

    [Fact]
    public async Task Importing_cars_over_the_quota_on_the_page_says_which_violations_it_opened()
    {
        var code = FleetFixture.Code("Q1");
        await Client.Read(await fleet.As(As.Admin).Post("/api/units", new { code, name = "一辆编制单位", kind = "Department", vehicleQuota = 1 }), HttpStatusCode.Created);
        using var browser = await PageForms.SignedIn(fleet.Factory, "admin", FleetFactory.AdminPassword);
        var page = await browser.GetStringAsync("/vehicles/import");
        var form = new MultipartFormDataContent
        {
            { new StringContent(PageForms.Token(page)), "__fleet_form" },
        };
        var file = new ByteArrayContent(ImportTests.Book([ImportTests.Row(code), ImportTests.Row(code), ImportTests.Row(code, source: "BorrowedFromEnterprise")]));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "车辆.xlsx");
        var saved = await browser.PostAsync("/vehicles/import", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var shown = WebUtility.HtmlDecode(await browser.GetStringAsync(saved.Headers.Location!.OriginalString));
        // Three cars on a quota of one: over the quota, and the borrowed one from an illegal source.
        Assert.Contains("已导入 3 辆车；同时开具违规", shown);
        Assert.Matches("超编制配备 [12] 起", shown);
        Assert.Contains("违规借用车辆 1 起", shown);
    }

    private async Task<(Guid Id, string Username)> NewInspector()
    {
        var username = FleetFixture.Code("said");
        var user = await Client.Read(await fleet.As(As.Admin).Post("/api/users", new { username, password = Password, role = "Inspector" }), HttpStatusCode.Created);
        return (Make.Id(user), username);
    }

    private Task<HttpResponseMessage> Change(Guid id, string role = "Inspector", bool active = true) =>
        fleet.As(As.Admin).Put($"/api/users/{id}", new { role, active }, null);

    [Fact]
    public async Task A_deactivated_account_given_the_right_password_is_told_it_is_deactivated_and_a_wrong_password_is_not()
    {
        var (id, username) = await NewInspector();
        await Client.Read(await Change(id, active: false), HttpStatusCode.OK);
        var anonymous = fleet.As(As.Anonymous);

        var right = await Client.Problem(await anonymous.Post("/api/auth/token", new { username, password = Password }), HttpStatusCode.Unauthorized);
        Assert.Equal("Auth.Deactivated", (string)right["code"]!);
        var wrong = await Client.Problem(await anonymous.Post("/api/auth/token", new { username, password = "not-the-password-1" }), HttpStatusCode.Unauthorized);
        Assert.Equal("Auth.WrongPassword", (string)wrong["code"]!);

        using var browser = Browser();
        var page = await PageForms.SignIn(browser, username, Password);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("该账号已停用", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("reset", "您的密码已被更改")]
    [InlineData("deactivate", "您的账号已被停用")]
    [InlineData("role", "您的角色、所属单位或工作区域已变更")]
    public async Task A_person_signed_out_by_an_administrators_change_is_told_why_on_the_sign_in_page(string change, string told)
    {
        var (id, username) = await NewInspector();
        using var browser = await PageForms.SignedIn(fleet.Factory, username, Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/spot-checks")).StatusCode);

        var admin = fleet.As(As.Admin);
        var done = change switch
        {
            "reset" => await admin.Post($"/api/users/{id}/password", new { newPassword = "another-long-password-7" }),
            "deactivate" => await Change(id, active: false),
            _ => await Change(id, role: "Auditor"),
        };
        Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());

        var sent = await browser.GetAsync("/spot-checks");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var login = sent.Headers.Location!.PathAndQuery;
        Assert.StartsWith("/login", login);
        var html = WebUtility.HtmlDecode(await browser.GetStringAsync(login));
        Assert.Contains(told, html);
        // Signing in again afresh says nothing of it.
        Assert.DoesNotContain(told, WebUtility.HtmlDecode(await browser.GetStringAsync("/login")));
    }

    private HttpClient Browser() => PageForms.Browser(fleet.Factory);

}
