using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>
/// An inspector in an underground car park: the spot-check form, the plate completion and the photo step work without
/// signal; what was made there is kept on the phone (待上传 N) and arrives once, in order, with the time it was made,
/// when the network returns; a refusal stays against its check until the inspector deals with it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfflineSpotCheckTests(BrowserFixture fleet)
{
    [Fact]
    public async Task Three_checks_and_a_photo_made_without_signal_arrive_once_each_with_their_offline_times_and_a_refusal_stays_on_the_phone()
    {
        var cars = new[] { await fleet.CarOfDistrict(42), await fleet.CarOfDistrict(43), await fleet.CarOfDistrict(44) };
        var unregistered = "鲁A" + Random.Shared.Next(10000, 99999);
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844, timezone: "Asia/Shanghai");
        var page = visit.Page;
        var context = page.Context;

        // Online once: the phone keeps the form and the plates of the inspector's district.
        await page.GotoAsync("/spot-checks/new");
        await OfflineReady(page);
        await page.WaitForFunctionAsync("async () => !!(await caches.match('/spot-checks/new')) && !!(await caches.match('/spot-checks/new?handler=Plates'))");

        // The signal is gone. The form opens from the phone and says so.
        visit.ExpectingOffline = true;
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByText("当前没有网络：抽查先保存在手机上")).ToBeVisibleAsync();

        // Three checks (the browser's clock set to when each was made), a photo of the first, and a car not registered.
        var made = new List<DateTime>();
        var start = TimeZoneInfo.ConvertTimeFromUtc(fleet.Fleet.Clock.GetUtcNow().UtcDateTime.AddHours(-2), Support.SealUpSteps.Shanghai);
        start = new DateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0);
        var findings = new[] { "合规", "公车私用", "合规" };
        for (var i = 0; i < 3; i++)
        {
            var at = start.AddMinutes(7 * i);
            made.Add(at);
            await context.Clock.SetFixedTimeAsync(new DateTimeOffset(at, TimeSpan.FromHours(8)).UtcDateTime);
            var plate = page.GetByLabel("车牌号");
            if (i == 0)
            {
                // The plate completes from the phone's list.
                await plate.PressSequentiallyAsync(cars[0].Plate[..^1]);
                await Assertions.Expect(page.Locator($"#plates option[value='{cars[0].Plate}']")).ToHaveCountAsync(1);
            }
            await plate.FillAsync(cars[i].Plate);
            await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = findings[i] });
            await page.GetByLabel("地点").FillAsync("人民商场地下停车场 B2");
            await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"已保存在手机上：{cars[i].Plate} {findings[i]}（待上传 {i + 1} 条）");
            if (i == 0)
            {
                await page.GetByLabel($"为这条抽查拍照：{cars[0].Plate} 合规").SetInputFilesAsync(new FilePayload
                {
                    Name = "IMG_0101.JPG",
                    MimeType = "image/jpeg",
                    Buffer = Fleet.Tests.EvidenceTests.Photo(at, (36.6512, 117.1201)),
                });
                await Assertions.Expect(page.Locator("ol.outbox li").First).ToContainTextAsync("照片 1 张");
            }
        }
        await page.GetByLabel("车牌号").FillAsync(unregistered);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "合规" });
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待上传 4 条" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-outbox-link]")).ToHaveTextAsync("待上传 4");
        await visit.Screenshot("offline-outbox-390");
        foreach (var (id, _) in cars) Assert.Empty(await ChecksOf(id));

        // The signal returns: the checks go out in order, once each, with the times they were made.
        var posted = new List<string>();
        var photosPosted = 0;
        page.Request += (_, request) =>
        {
            if (request.Method != "POST") return;
            if (request.Url.Contains("/spot-checks/new", StringComparison.Ordinal)) lock (posted) posted.Add(request.PostData ?? "");
            if (request.Url.EndsWith("/photos", StringComparison.Ordinal)) Interlocked.Increment(ref photosPosted);
        };
        await context.Clock.SetFixedTimeAsync(new DateTimeOffset(start.AddMinutes(30), TimeSpan.FromHours(8)).UtcDateTime);
        await context.SetOfflineAsync(false);
        // (The phone notices the network within seconds: the copy it showed gives way to the live form, which sends.)
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("网络已恢复。已上传离线抽查 3 条。有 1 条未能上传", new() { Timeout = 30_000 });
        var sent = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            var check = Assert.Single(await ChecksOf(cars[i].Id))!;
            Assert.Equal(new DateTimeOffset(made[i], TimeSpan.FromHours(8)).UtcDateTime, ((DateTime)check["checkedAt"]!).ToUniversalTime());
            Assert.Equal("人民商场地下停车场 B2", (string)check["location"]!);
            sent.Add(check);
        }
        // Sent in the order made, each once (the refused one too, once), and the photo once.
        Assert.Equal([.. cars.Select(c => c.Plate), unregistered], [.. posted.Select(p => Uri.UnescapeDataString(System.Web.HttpUtility.ParseQueryString(p)["Input.PlateNumber"] ?? ""))]);
        Assert.Equal(1, photosPosted);
        Assert.NotNull(sent[1]["violationId"]);
        using (var api = await fleet.ApiAs("inspector"))
        {
            var photos = (await api.GetFromJsonAsync<JsonObject>($"/api/evidence?subjectType=SpotCheck&subjectId={sent[0]["id"]}"))!["items"]!.AsArray();
            Assert.Single(photos);
        }

        // The refusal stays against its check, with why, until the inspector gives it up.
        var refused = page.Locator("ol.outbox li");
        await Assertions.Expect(refused).ToHaveCountAsync(1);
        await Assertions.Expect(refused).ToContainTextAsync(unregistered);
        await Assertions.Expect(refused).ToContainTextAsync("未能上传：");
        await Assertions.Expect(page.Locator("[data-outbox-link]")).ToHaveTextAsync("待上传 1");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("ol.outbox li")).ToContainTextAsync(unregistered);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "放弃：" + unregistered + " 合规" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-outbox-list]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-outbox-link]")).ToBeHiddenAsync();

        // Nothing went twice.
        await page.ReloadAsync();
        foreach (var (id, _) in cars) Assert.Single(await ChecksOf(id));
    }

    [Fact]
    public async Task A_check_whose_request_gets_no_answer_though_the_phone_seems_connected_is_kept_and_sent_once_later()
    {
        var (vehicle, plate) = await fleet.CarOfDistrict(45);
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844, timezone: "Asia/Shanghai");
        var page = visit.Page;
        await page.GotoAsync("/spot-checks/new");
        await OfflineReady(page);

        // The phone says it is connected (an underground car park's weak signal), but nothing it sends gets through.
        visit.ExpectingOffline = true;
        await page.Context.RouteAsync("**/spot-checks/new**", route => route.Request.Method == "POST" ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        await page.GetByLabel("车牌号").FillAsync(plate);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "合规" });
        await page.GetByLabel("地点").FillAsync("地下车库 B3");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("抽查已保存在手机上");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待上传 1 条" })).ToBeVisibleAsync();
        Assert.Empty(await ChecksOf(vehicle));

        // The next send reaches the server, but its answer is lost on the way back: the check is recorded, the phone
        // does not know it and keeps it.
        await page.Context.UnrouteAllAsync();
        var delivered = 0;
        await page.Context.RouteAsync("**/spot-checks/new**", async route =>
        {
            if (route.Request.Method != "POST") { await route.ContinueAsync(); return; }
            await route.FetchAsync(new() { MaxRedirects = 0 });
            Interlocked.Increment(ref delivered);
            await route.AbortAsync("connectionreset");
        });
        await page.GotoAsync("/spot-checks/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("网络不通，抽查已保存在手机上", new() { Timeout = 30_000 });
        Assert.Equal(1, delivered);
        Assert.Single(await ChecksOf(vehicle));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待上传 1 条" })).ToBeVisibleAsync();

        // Through again: another page (another form token) sends it again under its key: answered from the first
        // sending, not refused, not recorded twice.
        await page.Context.UnrouteAllAsync();
        await page.GotoAsync("/vehicles");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("已上传离线抽查 1 条。", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-outbox-link]")).ToBeHiddenAsync();
        var check = Assert.Single(await ChecksOf(vehicle))!;
        Assert.Equal("地下车库 B3", (string)check["location"]!);
        await page.ReloadAsync();
        Assert.Single(await ChecksOf(vehicle));
    }

    [Fact]
    public async Task On_a_shared_phone_a_check_kept_offline_is_sent_only_by_the_inspector_who_made_it()
    {
        var (vehicle, plate) = await fleet.CarOfDistrict(46);
        using (var admin = await fleet.ApiAs("admin"))
            (await admin.PostAsJsonAsync("/api/users", new { username = "night-inspector", password = BrowserFixture.Password, role = "Inspector", displayName = "李四" })).EnsureSuccessStatusCode();
        await using var visit = await fleet.SignIn("inspector", width: 390, height: 844, timezone: "Asia/Shanghai");
        var page = visit.Page;
        await page.GotoAsync("/spot-checks/new");
        await OfflineReady(page);
        visit.ExpectingOffline = true;
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.GetByLabel("车牌号").FillAsync(plate);
        await page.GetByLabel("检查结果").SelectOptionAsync(new SelectOptionValue { Label = "合规" });
        await page.GetByLabel("地点").FillAsync("机关大院地下车库");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待上传 1 条" })).ToBeVisibleAsync();

        // The session ends meanwhile (the idle timeout); back online, the phone lands on the sign-in page.
        await page.Context.ClearCookiesAsync();
        await page.Context.SetOfflineAsync(false);
        await page.WaitForURLAsync("**/login**", new() { Timeout = 30_000 });

        // Another inspector signs in on the same phone: the check is not theirs to send, nor to see.
        await visit.SignIn("night-inspector", BrowserFixture.Password);
        await page.GotoAsync("/spot-checks/new");
        await Assertions.Expect(page.Locator("[data-outbox-link]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-outbox-list]")).ToBeHiddenAsync();
        Assert.Empty(await ChecksOf(vehicle));

        // Its maker signs in again: it goes out, as theirs.
        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await page.WaitForURLAsync("**/login**");
        await visit.SignIn("inspector", BrowserFixture.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("已上传离线抽查 1 条。", new() { Timeout = 30_000 });
        var check = Assert.Single(await ChecksOf(vehicle))!;
        Assert.Equal("inspector", (string)check["recordedBy"]!);
    }

    /// <summary>
    /// Waits until the phone's service worker is active and controls the form (a page opened while the worker was still
    /// installing is controlled from its next load, as on a real phone).
    /// </summary>
    private static async Task OfflineReady(IPage page)
    {
        await page.WaitForFunctionAsync("async () => !!(await navigator.serviceWorker.ready).active");
        if (!await page.EvaluateAsync<bool>("() => navigator.serviceWorker.controller !== null")) await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
    }

    private async Task<JsonArray> ChecksOf(string vehicle)
    {
        using var api = await fleet.ApiAs("inspector");
        return (await api.GetFromJsonAsync<JsonObject>($"/api/spot-checks?vehicleId={vehicle}&pageSize=100"))!["items"]!.AsArray();
    }
}
