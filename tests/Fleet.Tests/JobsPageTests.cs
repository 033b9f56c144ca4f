using System.Net;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>后台任务: Fleet's own Chinese page of its jobs for Admins; Hangfire's dashboard stays, read-only.</summary>
public sealed partial class JobsPageTests
{
    [Fact]
    public async Task An_admin_reads_each_job_in_Chinese_with_what_it_does_its_schedule_and_its_next_run()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var (username, password) = fleet.Account(As.Admin);
        using var admin = await PageForms.SignedIn(fleet.Factory, username, password);
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/jobs"));

        var reconcile = Card(html, "封存核查");
        Assert.Contains("截止后把仍未封存的车辆标为逾期并开具违规", reconcile);
        Assert.Contains("<dd>每 2 分钟</dd>", reconcile);
        Assert.Contains("尚未运行", reconcile);
        // Its next run: within two minutes from now, in Beijing time as the page says.
        var next = DateTime.ParseExact(Regex.Match(reconcile, @"下次运行</dt><dd>(\d{4}-\d\d-\d\d \d\d:\d\d)</dd>").Groups[1].Value, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var beijing = DateTime.UtcNow.AddHours(8);
        Assert.InRange(next, beijing.AddMinutes(-1), beijing.AddMinutes(3));
        Assert.Contains("<dd>每天 09:00</dd>", Card(html, "节前廉政提醒"));
        Assert.Contains("<dd>每小时第 40 分</dd>", Card(html, "用车记录核查"));
        foreach (var name in new[] { "逾期追缴标记", "报表月度归档", "提醒补发", "清理重复提交记录" })
            Assert.Contains("立即运行", Card(html, name));
        // Nothing of Hangfire's English on the page people read.
        Assert.DoesNotMatch("Succeeded|Enqueued|Recurring|sealup-reconcile</", html);

        foreach (var who in new[] { As.VehicleAdmin, As.Inspector, As.Auditor })
        {
            var (u, p) = fleet.Account(who);
            using var other = await PageForms.SignedIn(fleet.Factory, u, p);
            var refused = await other.GetAsync("/jobs");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/denied", refused.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Run_now_queues_the_job_and_the_page_then_shows_its_run_succeeded_and_when()
    {
        await using var fleet = await FleetFixture.StartAsync(new() { ["Fleet:Jobs:RunServer"] = "true" });
        var (username, password) = fleet.Account(As.Admin);
        using var admin = await PageForms.SignedIn(fleet.Factory, username, password);
        var page = await admin.GetStringAsync("/jobs");
        var ran = await admin.PostAsync("/jobs?handler=Run", PageForms.Form(page, new() { ["job"] = "recovery-overdue" }));
        Assert.Equal(HttpStatusCode.Redirect, ran.StatusCode);
        Assert.Contains("已加入运行队列：逾期追缴标记", WebUtility.HtmlDecode(await admin.GetStringAsync(ran.Headers.Location!.OriginalString)));

        var card = await CardWhen(admin, "逾期追缴标记", c => c.Contains("成功", StringComparison.Ordinal));
        Assert.Matches(@"<dd class=""result"">成功（用时 [0-9.]+ (毫秒|秒)）</dd>", card);
        var last = DateTime.ParseExact(Regex.Match(card, @"上次运行</dt><dd>(\d{4}-\d\d-\d\d \d\d:\d\d)</dd>").Groups[1].Value, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(last, DateTime.UtcNow.AddHours(8).AddMinutes(-2), DateTime.UtcNow.AddHours(8).AddMinutes(1));
        // An unknown job is not run.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/jobs?handler=Run", PageForms.Form(await admin.GetStringAsync("/jobs"), new() { ["job"] = "drop-everything" }))).StatusCode);
    }

    [Fact]
    public async Task A_run_that_failed_is_marked_on_the_page_with_why_and_that_it_will_be_retried()
    {
        // The archive's folder is a file: the monthly archive cannot write and fails.
        var blocked = Path.GetTempFileName();
        try
        {
            await using var fleet = await FleetFixture.StartAsync(new() { ["Fleet:Jobs:RunServer"] = "true", ["Fleet:Reports:ArchiveDirectory"] = blocked });
            await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2026-12-20T02:00:00Z", location = "大院", finding = "Compliant" }), HttpStatusCode.Created);
            var (username, password) = fleet.Account(As.Admin);
            using var admin = await PageForms.SignedIn(fleet.Factory, username, password);
            var ran = await admin.PostAsync("/jobs?handler=Run", PageForms.Form(await admin.GetStringAsync("/jobs"), new() { ["job"] = "report-archive" }));
            Assert.Equal(HttpStatusCode.Redirect, ran.StatusCode);

            var card = await CardWhen(admin, "报表月度归档", c => c.Contains("失败", StringComparison.Ordinal));
            Assert.Contains("<li class=\"card failed\">", card);
            Assert.Contains("失败，等待自动重试（", card);
        }
        finally { File.Delete(blocked); }
    }

    [Fact]
    public async Task The_hangfire_dashboard_is_read_only_even_with_its_own_token()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var admin = fleet.As(As.Admin);
        var page = await (await admin.Http.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("recurring/trigger", page);
        Assert.DoesNotContain("recurring/remove", page);
        var header = Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        foreach (var command in new[] { "/hangfire/recurring/trigger", "/hangfire/recurring/remove" })
        {
            using var own = new HttpRequestMessage(HttpMethod.Post, command) { Content = new FormUrlEncodedContent([new("jobs[]", "sealup-reconcile")]) };
            own.Headers.Add("Origin", admin.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
            own.Headers.Add(header, token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Http.SendAsync(own)).StatusCode);
        }
        // The recurring jobs are all still there.
        page = await (await admin.Http.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        Assert.Contains("sealup-reconcile", page);
    }

    /// <summary>The job's card on the page, from its name to the end of its item.</summary>
    private static string Card(string html, string name)
    {
        var card = Regex.Match(html, $"<li class=\"card[^\"]*\">\\s*<h2>{Regex.Escape(name)}</h2>.*?</li>", RegexOptions.Singleline);
        Assert.True(card.Success, $"no card for {name}");
        return card.Value;
    }

    /// <summary>Reloads the page until the job's card satisfies <paramref name="done"/> (the job runs on the server's workers), up to 20 s.</summary>
    private static async Task<string> CardWhen(HttpClient admin, string name, Func<string, bool> done)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var card = Card(WebUtility.HtmlDecode(await admin.GetStringAsync("/jobs")), name);
            if (done(card) || watch.Elapsed > TimeSpan.FromSeconds(20)) return card;
            await Task.Delay(200);
        }
    }
}
