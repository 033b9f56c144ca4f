using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>
/// The inspector's day on a phone (390×844): every list is a list of cards whose facts and actions are on the screen
/// without sideways scrolling; after a saved check the page offers its photo, the check and its violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneCardsTests(BrowserFixture fleet)
{
    [Fact]
    public async Task The_inspector_finds_a_car_checks_it_photographs_it_and_sees_it_in_the_log_with_every_action_on_screen()
    {
        var (vehicle, plate) = await fleet.CarOfDistrict(40);
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844);
        var page = visit.Page;

        // Find: the plate search answers with a card naming the unit and the status, and 抽查此车.
        await visit.Navigate("车辆");
        await page.GetByLabel("车牌号").FillAsync(plate[^4..]);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        var card = page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate });
        // Each fact is labelled (a screen reader reads "单位 …", as the card shows it).
        await Assertions.Expect(card.GetByRole(AriaRole.Cell, new() { Name = "状态 在用" })).ToBeVisibleAsync();
        await InView(page, card.GetByRole(AriaRole.Link, new() { Name = "抽查此车 " + plate }));
        await InView(page, card.GetByRole(AriaRole.Cell, new() { Name = "状态 在用" }));
        await InView(page, card.Locator("td[data-label='单位']"));
        Assert.True(await visit.FitsWidth(), "the plate search scrolls sideways at 390 px");
        await visit.Screenshot("phone-vehicles-390");

        // Check: the form comes with the plate filled in; a private use is saved, and the page offers 拍照, the check and its violation.
        await card.GetByRole(AriaRole.Link, new() { Name = "抽查此车 " + plate }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("车牌号")).ToHaveValueAsync(plate);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "公车私用" });
        await page.GetByLabel("地点").FillAsync("超市地下停车场 B2");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已记录抽查：" + plate + " 公车私用");
        foreach (var link in new[] { "拍照", "查看这条抽查", "查看违规记录" })
            await InView(page, page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }));
        Assert.True(await visit.FitsWidth(), "the saved check scrolls sideways at 390 px");
        await visit.Screenshot("phone-saved-check-390");

        // Photo: 拍照 opens the check at its photos.
        await page.GetByRole(AriaRole.Link, new() { Name = "拍照", Exact = true }).ClickAsync();
        await page.GetByLabel("拍照或选择照片").SetInputFilesAsync(new FilePayload
        {
            Name = "IMG_0002.JPG",
            MimeType = "image/jpeg",
            Buffer = Fleet.Tests.EvidenceTests.Photo(new DateTime(2027, 1, 9, 21, 30, 0), (36.6512, 117.1201)),
        });
        await InView(page, page.GetByRole(AriaRole.Button, new() { Name = "上传照片" }));
        await page.GetByRole(AriaRole.Button, new() { Name = "上传照片" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("照片已上传（第 1 张）");

        // The log: the check's card shows its finding and 详情 and 更正 on the screen.
        await visit.Navigate("抽查");
        await page.GotoAsync("/spot-checks");
        var logged = page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate }).First;
        await Assertions.Expect(logged).ToContainTextAsync("公车私用");
        await InView(page, logged.GetByText("公车私用"));
        await InView(page, logged.GetByRole(AriaRole.Link, new() { Name = "详情 " + plate }));
        await InView(page, logged.GetByRole(AriaRole.Link, new() { Name = "更正 " + plate }));
        Assert.True(await visit.FitsWidth(), "the spot-check log scrolls sideways at 390 px");
        await visit.Screenshot("phone-spot-checks-390");
        using var api = await fleet.ApiAs("inspector");
        var checks = (await api.GetFromJsonAsync<JsonObject>($"/api/spot-checks?vehicleId={vehicle}&pageSize=100"))!["items"]!.AsArray();
        Assert.Single(checks, c => (string)c!["finding"]! == "PrivateUse" && (string)c["location"]! == "超市地下停车场 B2");
    }

    [Fact]
    public async Task The_exemption_queue_on_a_phone_shows_the_reason_and_approve_and_reject_on_screen()
    {
        var schedule = await fleet.SpringFestival();
        var (vehicleId, plate) = await fleet.CarOfDistrict(41);
        using (var admin = await fleet.ApiAs("admin"))
            (await admin.PostAsJsonAsync($"/api/sealup-schedules/{schedule}/exemptions", new { vehicleId, reason = "春节期间防汛值班保障用车" })).EnsureSuccessStatusCode();
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844);
        var page = visit.Page;
        await page.GotoAsync("/sealup/exemptions");
        var card = page.GetByRole(AriaRole.Row).Filter(new() { HasText = plate });
        await InView(page, card.GetByText("春节期间防汛值班保障用车"));
        await InView(page, card.GetByRole(AriaRole.Button, new() { Name = "批准" }));
        await InView(page, card.GetByRole(AriaRole.Button, new() { Name = "驳回" }));
        Assert.True(await visit.FitsWidth(), "the exemption queue scrolls sideways at 390 px");
        await visit.Screenshot("phone-exemptions-390");
        await card.GetByLabel("意见（可选）").FillAsync("不同意，按期封存");
        await card.GetByRole(AriaRole.Button, new() { Name = "驳回" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已驳回");
    }

    [Fact]
    public async Task The_admin_reads_the_jobs_in_chinese_on_a_phone_with_run_now_on_each_card()
    {
        await using var visit = await fleet.SignIn("admin", width: 390, height: 844);
        var page = visit.Page;
        await visit.Navigate("后台任务");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "后台任务", Level = 1 })).ToBeVisibleAsync();
        var reconcile = page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "封存核查" }) });
        await Assertions.Expect(reconcile).ToContainTextAsync("每 2 分钟");
        await InView(page, reconcile.GetByRole(AriaRole.Button, new() { Name = "立即运行：封存核查" }));
        Assert.True(await visit.FitsWidth(), "后台任务 scrolls sideways at 390 px");
        await visit.Screenshot("phone-jobs-390");
    }

    /// <summary>
    /// The element is on the screen once the page is scrolled down (never sideways) to it: wholly inside the viewport's
    /// width and height, with nothing scrolled sideways (neither the page nor a table around it).
    /// </summary>
    internal static async Task InView(IPage page, ILocator element)
    {
        await element.WaitForAsync();
        var sideways = await element.EvaluateAsync<double>("""
            el => {
                window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight / 3);
                let scrolled = window.scrollX;
                for (let p = el.parentElement; p; p = p.parentElement) scrolled += p.scrollLeft;
                return scrolled;
            }
            """);
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("not rendered");
        var (width, height) = (page.ViewportSize!.Width, page.ViewportSize.Height);
        Assert.True(sideways == 0 && box.X >= 0 && box.X + box.Width <= width && box.Y >= 0 && box.Y + box.Height <= height,
            $"at x {box.X:0}..{box.X + box.Width:0}, y {box.Y:0}..{box.Y + box.Height:0} (scrolled sideways {sideways}), outside the {width}×{height} screen");
    }
}
