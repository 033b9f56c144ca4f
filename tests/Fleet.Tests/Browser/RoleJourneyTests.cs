using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>The inspector on a phone, the auditor before a meeting, the admin keeping accounts: each one's main journey.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RoleJourneyTests(BrowserFixture fleet)
{
    [Fact]
    public async Task The_inspector_records_a_spot_check_on_a_phone_without_scrolling_sideways()
    {
        var (_, plate) = (await fleet.CarsOfD01())[^1];
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844);
        var page = visit.Page;
        Assert.True(await visit.FitsWidth(), "the home page scrolls sideways at 390 px");
        await page.GetByRole(AriaRole.Link, new() { Name = "抽查", Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync("**/spot-checks/new");
        await page.GetByLabel("车牌号").FillAsync(plate);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "合规" });
        await page.GetByLabel("地点").FillAsync("区委大院停车场");
        await page.GetByLabel("备注").FillAsync("封条完好");
        Assert.True(await visit.FitsWidth(), "the spot-check form scrolls sideways at 390 px");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已记录抽查：" + plate + " 合规");

        // The menu folds behind 菜单 on the phone, and opens the log the check went into.
        await visit.Navigate("抽查");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate }).First).ToContainTextAsync("合规");
        Assert.True(await visit.FitsWidth(), "the spot-check log scrolls sideways at 390 px");
    }

    [Fact]
    public async Task A_double_tap_on_save_sends_the_spot_check_once_and_the_button_says_it_is_busy()
    {
        var (vehicle, plate) = (await fleet.CarsOfD01())[^1];
        async Task<int> Checks()
        {
            using var api = await fleet.ApiAs("inspector");
            return (await api.GetFromJsonAsync<JsonObject>($"/api/spot-checks?vehicleId={vehicle}&pageSize=100"))!["items"]!.AsArray().Count;
        }
        var before = await Checks();
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844);
        var page = visit.Page;
        await page.GotoAsync("/spot-checks/new");
        await page.GetByLabel("车牌号").FillAsync(plate);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "合规" });
        await page.GetByLabel("地点").FillAsync("地下停车场 B2");
        // The answer is held back, as on a slow network, until the second tap has been made.
        var posts = 0;
        var release = new TaskCompletionSource();
        // On the context: the inspector's service worker (sw.js) sends the form, and the context sees its requests too.
        await page.Context.RouteAsync("**/spot-checks/new**", async route =>
        {
            if (route.Request.Method == "POST")
            {
                Interlocked.Increment(ref posts);
                await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            await route.ContinueAsync();
        });
        // The page tells the test what the button looked like at the second tap (a page waiting for an answer is not
        // evaluated by Playwright).
        var second = new TaskCompletionSource<string>();
        await page.ExposeFunctionAsync("secondTap", (string state) => second.TrySetResult(state));
        await page.EvaluateAsync("""
            () => {
                const save = [...document.querySelectorAll("main form[data-once] button[type=submit]")].find(b => b.textContent.trim() === "保存");
                save.click();
                setTimeout(() => {
                    const state = save.disabled + "," + save.getAttribute("aria-busy");
                    save.click();
                    save.form.requestSubmit();
                    window.secondTap(state);
                }, 50);
            }
            """);
        string atSecondTap;
        try
        {
            atSecondTap = await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            release.TrySetResult();
        }
        Assert.Equal("true,true", atSecondTap);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已记录抽查：" + plate + " 合规");
        Assert.Equal(1, posts);
        Assert.Equal(before + 1, await Checks());
    }

    [Fact]
    public async Task The_inspector_adds_a_photo_to_a_spot_check_on_a_phone_and_sees_its_thumbnail_time_and_place()
    {
        var (vehicle, plate) = (await fleet.CarsOfD01())[^2];
        string check;
        using (var api = await fleet.ApiAs("inspector"))
        {
            var created = await api.PostAsJsonAsync("/api/spot-checks", new
            {
                vehicleId = vehicle,
                checkedAt = fleet.Fleet.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
                location = "区委大院停车场",
                finding = "Compliant",
            });
            check = (string)(await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        }
        await using var visit = await fleet.SignIn("inspector", width: 360, height: 780);
        var page = visit.Page;
        await page.GotoAsync($"{fleet.BaseUrl}/spot-checks/{check}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "照片证据（0/9）" })).ToBeVisibleAsync();
        await page.GetByLabel("拍照或选择照片").SetInputFilesAsync(new FilePayload
        {
            Name = "IMG_0001.JPG",
            MimeType = "image/jpeg",
            Buffer = EvidenceTests.Photo(new DateTime(2026, 10, 2, 9, 30, 0), (23.129163, 113.264435)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传照片" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("照片已上传（第 1 张）");
        var photo = page.GetByRole(AriaRole.Img, new() { Name = "照片 1：拍摄于 2026-10-02 09:30，北纬 23.129163°，东经 113.264435°" });
        await Assertions.Expect(photo).ToBeVisibleAsync();
        Assert.True(await photo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the thumbnail did not load");
        await Assertions.Expect(page.GetByText("北纬 23.129163°，东经 113.264435°").First).ToBeVisibleAsync();
        Assert.True(await visit.FitsWidth(), "the spot check with its photo scrolls sideways at 360 px");
        await visit.Screenshot("spot-check-photo-360");

        // A file that is not a photo is refused, in Chinese, and nothing is added.
        await page.GetByLabel("拍照或选择照片").SetInputFilesAsync(new FilePayload { Name = "note.jpg", MimeType = "image/jpeg", Buffer = "不是照片"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传照片" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("未上传：该文件不是照片");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "照片证据（1/9）" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_inspector_imports_a_trip_file_on_the_usage_page_sees_a_bad_row_in_chinese_then_the_records()
    {
        var (_, plate) = (await fleet.CarsOfD01())[^1];
        var day = TimeZoneInfo.ConvertTimeFromUtc(fleet.Fleet.Clock.GetUtcNow().UtcDateTime.AddDays(-3), Fleet.Tests.Support.SealUpSteps.Shanghai).Date.AddHours(9);
        string Csv(string car) => $"车牌号,开始时间,起点,结束时间,终点,里程\n{car},{day:yyyy-MM-dd HH:mm},区委大院,{day.AddMinutes(40):yyyy-MM-dd HH:mm},市民中心,18.6\n";
        await using var visit = await fleet.SignIn("inspector", width: 360, height: 780);
        var page = visit.Page;
        await visit.Navigate("用车记录");
        await page.GetByRole(AriaRole.Link, new() { Name = "导入用车记录" }).ClickAsync();
        await page.GetByLabel("记录类型").SelectOptionAsync(new SelectOptionValue { Label = "行车记录" });

        // A plate nobody registered: the row, its column and the problem in Chinese; nothing imported.
        await page.GetByLabel("文件（.xlsx 或 .csv）").SetInputFilesAsync(new FilePayload { Name = "gps.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(Csv("鲁A0Z9Y8")) });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并比对" }).ClickAsync();
        var bad = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "第 2 行" });
        await Assertions.Expect(bad).ToContainTextAsync("车牌号");
        await Assertions.Expect(bad).ToContainTextAsync("鲁A0Z9Y8 不在车辆登记中");
        Assert.True(await visit.FitsWidth(), "the import page scrolls sideways at 360 px");

        await page.GetByLabel("记录类型").SelectOptionAsync(new SelectOptionValue { Label = "行车记录" });
        await page.GetByLabel("文件（.xlsx 或 .csv）").SetInputFilesAsync(new FilePayload { Name = "gps.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(Csv(plate)) });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并比对" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已导入 1 条记录；比对未生成新的违规。");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate });
        await Assertions.Expect(row).ToContainTextAsync("行车记录");
        await Assertions.Expect(row).ToContainTextAsync("区委大院 → 市民中心");
        await Assertions.Expect(row).ToContainTextAsync("18.6 公里");
        await visit.Screenshot("usage-list-360");
    }

    [Fact]
    public async Task The_inspector_approves_an_exemption_the_unit_asked_for()
    {
        var schedule = await fleet.SpringFestival();
        var (vehicleId, plate) = (await fleet.CarsOfD01())[1];
        using (var vadmin = await fleet.ApiAs("vadmin"))
        {
            (await vadmin.PostAsJsonAsync($"/api/sealup-schedules/{schedule}/exemptions", new { vehicleId, reason = "春节期间应急值班保障用车" })).EnsureSuccessStatusCode();
        }
        await using var visit = await fleet.SignIn("inspector");
        var page = visit.Page;
        // Home: what waits for the inspector, among it this request.
        await Assertions.Expect(page.GetByText(plate).First).ToBeVisibleAsync();
        await page.GotoAsync("/sealup/exemptions");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate });
        await row.GetByLabel("意见（可选）").FillAsync("同意，节后及时封存");
        await row.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已批准豁免申请");

        using var api = await fleet.ApiAs("vadmin");
        var orders = (await api.GetFromJsonAsync<JsonObject>($"/api/sealup-schedules/{schedule}/orders?plateNumber={Uri.EscapeDataString(plate)}"))!;
        Assert.Equal("Exempted", (string)orders["items"]!.AsArray().Single()!["status"]!);
    }

    [Fact]
    public async Task The_auditor_sees_the_districts_recovery_rate_and_downloads_a_report_that_opens_as_a_workbook()
    {
        await using var visit = await fleet.SignIn("auditor");
        var page = visit.Page;
        var roundOne = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "专项清理（第一轮）" }).First;
        await Assertions.Expect(roundOne).ToContainTextAsync("39");
        await Assertions.Expect(roundOne).ToContainTextAsync("100.0%");
        await Assertions.Expect(page.GetByRole(AriaRole.Img).First).ToBeVisibleAsync();

        await visit.Navigate("报表");
        var section = page.Locator(".panel").Filter(new() { HasText = "收回率 = 已收回" });
        var download = await page.RunAndWaitForDownloadAsync(() => section.GetByRole(AriaRole.Button, new() { Name = "下载" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".xlsx");
        await download.SaveAsAsync(path);
        try
        {
            using var book = new XLWorkbook(path);
            Assert.Contains(book.Worksheets, sheet => sheet.CellsUsed().Any(c => c.GetString().Contains("区委办公室", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_admin_deactivates_a_user_whose_open_session_then_ends()
    {
        using (var admin = await fleet.ApiAs("admin"))
        {
            (await admin.PostAsJsonAsync("/api/users", new { username = "leaving-inspector", password = BrowserFixture.Password, role = "Inspector", displayName = "张三" }))
                .EnsureSuccessStatusCode();
        }
        await using var leaving = await fleet.SignIn("leaving-inspector");
        await Assertions.Expect(leaving.Page.GetByText("leaving-inspector（监督检查人员）")).ToBeVisibleAsync();

        await using var visit = await fleet.SignIn("admin");
        var page = visit.Page;
        await visit.Navigate("用户");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "leaving-inspector" }).GetByRole(AriaRole.Link, new() { Name = "修改" }).ClickAsync();
        await page.GetByLabel("状态").SelectOptionAsync(new SelectOptionValue { Label = "停用" });
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存");

        // The inspector's next click finds the session ended: back to the sign-in page.
        await leaving.Page.ReloadAsync();
        await Assertions.Expect(leaving.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Assertions.Expect(leaving.Page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
    }
}
