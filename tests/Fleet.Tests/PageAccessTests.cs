using System.Net;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

/// <summary>
/// Who may open which page, over HTTP with a real session cookie: the pages' own matrix beside the API's. A role
/// that may not use a page is sent to /denied; nobody signed out gets further than /login; a record of another unit
/// or one that does not exist is 404 for whoever may use the page.
/// </summary>
public sealed partial class PageAccessTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private const string Ok = "200", Login = "login", Denied = "denied", Missing = "404";

    // anonymous, Admin, VehicleAdmin, Inspector, Auditor
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["/"] = [Login, Ok, Ok, Ok, Ok],
        ["/login"] = [Ok, Ok, Ok, Ok, Ok],
        ["/denied"] = [Login, Ok, Ok, Ok, Ok],
        ["/error/{code}"] = [Ok, Ok, Ok, Ok, Ok],
        ["/password"] = [Login, Ok, Ok, Ok, Ok],
        ["/vehicles"] = [Login, Ok, Ok, Ok, Ok],
        ["/vehicles/new"] = [Login, Ok, Ok, Denied, Denied],
        ["/vehicles/import"] = [Login, Ok, Ok, Denied, Denied],
        ["/vehicles/{id}/edit"] = [Login, Missing, Missing, Denied, Denied],
        ["/sealup"] = [Login, Ok, Ok, Ok, Ok],
        ["/sealup/exemptions"] = [Login, Ok, Ok, Ok, Ok],
        ["/sealup/schedules"] = [Login, Ok, Ok, Ok, Ok],
        ["/sealup/{scheduleId}/vehicles/{vehicleId}"] = [Login, Missing, Missing, Missing, Missing],
        ["/spot-checks"] = [Login, Ok, Denied, Ok, Ok],
        ["/spot-checks/new"] = [Login, Denied, Denied, Ok, Denied],
        ["/spot-checks/{id}"] = [Login, Missing, Denied, Missing, Missing],
        ["/violations"] = [Login, Ok, Ok, Ok, Ok],
        ["/violations/{id}"] = [Login, Missing, Missing, Missing, Missing],
        ["/usage"] = [Login, Ok, Ok, Ok, Ok],
        ["/usage/import"] = [Login, Ok, Denied, Ok, Denied],
        ["/recoveries"] = [Login, Ok, Ok, Ok, Ok],
        ["/recoveries/new"] = [Login, Denied, Denied, Ok, Denied],
        ["/recoveries/{id}"] = [Login, Missing, Missing, Missing, Missing],
        ["/reports"] = [Login, Ok, Denied, Ok, Ok],
        ["/units"] = [Login, Ok, Denied, Denied, Ok],
        ["/units/{id}"] = [Login, Missing, Denied, Denied, Denied],
        ["/regions"] = [Login, Ok, Denied, Ok, Ok],
        ["/users"] = [Login, Ok, Denied, Denied, Denied],
        ["/users/new"] = [Login, Ok, Denied, Denied, Denied],
        ["/users/{id}"] = [Login, Missing, Denied, Denied, Denied],
        ["/audit"] = [Login, Ok, Denied, Denied, Ok],
        ["/jobs"] = [Login, Ok, Denied, Denied, Denied],
        // The photo upload is a form's target only (POST); a GET finds nothing.
        ["/photos"] = [Login, Missing, Missing, Missing, Denied],
    };

    private static readonly As[] Roles = [As.Anonymous, As.Admin, As.VehicleAdmin, As.Inspector, As.Auditor];

    [Fact]
    public void Every_page_is_in_the_matrix()
    {
        var pages = fleet.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null
                || e.Metadata.OfType<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>().Any())
            .Select(e => "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+):[^}]+\}", "{$1}"))
            .ToHashSet();
        pages.Remove("/logout");
        Assert.Equal("", string.Join(", ", pages.Except(Expected.Keys).Order()));
        Assert.Equal("", string.Join(", ", Expected.Keys.Except(pages).Order()));
    }

    [Fact]
    public async Task Each_role_opens_the_pages_it_may_use_and_is_turned_away_from_the_others()
    {
        var failures = new List<string>();
        for (var r = 0; r < Roles.Length; r++)
        {
            using var browser = await SignedIn(Roles[r]);
            foreach (var (route, expected) in Expected)
            {
                var url = Regex.Replace(route.Replace("{code}", "500", StringComparison.Ordinal), @"\{\w+\}", Guid.CreateVersion7().ToString());
                var response = await browser.GetAsync(url);
                var got = response.StatusCode switch
                {
                    HttpStatusCode.OK => Ok,
                    HttpStatusCode.NotFound => Missing,
                    HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.StartsWith("/login", StringComparison.Ordinal)
                        || response.Headers.Location.AbsolutePath.EndsWith("/login", StringComparison.Ordinal) => Login,
                    HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/denied", StringComparison.Ordinal) => Denied,
                    _ => $"{(int)response.StatusCode} {response.Headers.Location}",
                };
                if (got != expected[r]) failures.Add($"{route} as {Roles[r]}: expected {expected[r]}, got {got}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Navigation_shows_each_role_its_sections_in_Chinese()
    {
        using var vehicleAdmin = await SignedIn(As.VehicleAdmin);
        var home = await vehicleAdmin.GetStringAsync("/");
        Assert.Contains("lang=\"zh-CN\"", home);
        foreach (var section in new[] { "车辆", "封存", "违规", "用车记录", "追缴" }) Assert.Contains($">{section}</a>", home);
        foreach (var section in new[] { "抽查", "报表", "单位", "用户", "审计" }) Assert.DoesNotContain($">{section}</a>", home);
        using var admin = await SignedIn(As.Admin);
        var adminHome = await admin.GetStringAsync("/");
        foreach (var section in new[] { "车辆", "封存", "抽查", "违规", "用车记录", "追缴", "报表", "单位", "用户", "审计" }) Assert.Contains($">{section}</a>", adminHome);
    }

    [Theory]
    [InlineData("Admin, Inspector", false)]
    [InlineData("2", false)]
    [InlineData("Admin,Auditor", false)]
    [InlineData("Auditor", true)]
    [InlineData("审计人员", true)]
    public async Task A_role_chosen_on_the_page_is_one_name_or_its_label(string role, bool created)
    {
        using var admin = await SignedIn(As.Admin);
        var username = FleetFixture.Code("form");
        var form = await admin.GetStringAsync("/users/new");
        var response = await admin.PostAsync("/users/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Username"] = username,
            ["Input.Password"] = "Tall-river-73-stone",
            ["Input.Role"] = role,
            ["__fleet_form"] = PageForms.Token(form),
        }));
        Assert.Equal(created ? HttpStatusCode.Redirect : HttpStatusCode.OK, response.StatusCode);
        if (!created) Assert.Contains("请从以下选项中选择", await response.Content.ReadAsStringAsync());
        var users = await fleet.As(As.Admin).GetJson("/api/users?pageSize=500");
        Assert.Equal(created, users["items"]!.AsArray().Any(u => (string)u!["username"]! == username));
        if (created) Assert.Equal("Auditor", (string)users["items"]!.AsArray().Single(u => (string)u!["username"]! == username)!["role"]!);
    }

    [Fact]
    public async Task Changing_ones_password_on_the_page_keeps_this_session_and_ends_the_others()
    {
        var admin = fleet.As(As.Admin);
        var username = FleetFixture.Code("pw");
        const string first = "a-first-Qz8-password", second = "a-second-Wx5-password";
        await Client.Read(await admin.Post("/api/users", new { username, password = first, role = "Auditor" }), HttpStatusCode.Created);
        using var desk = await SignedIn(username, first);
        using var phone = await SignedIn(username, first);

        var form = await desk.GetStringAsync("/password");
        var weak = await desk.PostAsync("/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["currentPassword"] = first,
            ["newPassword"] = "aaaaaaaaaaaa",
            ["__fleet_form"] = PageForms.Token(form),
        }));
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("新密码", await weak.Content.ReadAsStringAsync());
        form = await desk.GetStringAsync("/password");
        var changed = await desk.PostAsync("/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["currentPassword"] = first,
            ["newPassword"] = second,
            ["__fleet_form"] = PageForms.Token(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/")).StatusCode);
        var ended = await phone.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/login", ended.Headers.Location!.OriginalString);
        using var again = await SignedIn(username, second);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_page_and_the_api_take_a_disposal_reason_of_up_to_500_characters_alike()
    {
        var va = fleet.As(As.VehicleAdmin);
        var byApi = (Guid)(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)))["id"]!;
        var byPage = (Guid)(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)))["id"]!;
        using var browser = await SignedIn(As.VehicleAdmin);
        async Task<HttpResponseMessage> DisposeOnPage(Guid vehicle, string reason)
        {
            var form = await browser.GetStringAsync($"/vehicles/{vehicle}/edit");
            return await browser.PostAsync($"/vehicles/{vehicle}/edit?handler=Dispose", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["reason"] = reason,
                ["Input.Version"] = ((int)(await va.GetJson($"/api/vehicles/{vehicle}"))["version"]!).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["__fleet_form"] = PageForms.Token(form),
            }));
        }
        async Task<string> Status(Guid vehicle) => (string)(await va.GetJson($"/api/vehicles/{vehicle}"))["status"]!;

        // 501 characters: refused by both, against the reason, and neither car disposed of.
        await Client.Problem(await va.Post($"/api/vehicles/{byApi}/dispose", new { reason = new string('旧', 501) }), HttpStatusCode.BadRequest, "reason");
        var refused = await DisposeOnPage(byPage, new string('旧', 501));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("理由", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(["Active", "Active"], [await Status(byApi), await Status(byPage)]);

        // 500: taken by both.
        await Client.Read(await va.Post($"/api/vehicles/{byApi}/dispose", new { reason = new string('旧', 500) }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Redirect, (await DisposeOnPage(byPage, new string('旧', 500))).StatusCode);
        Assert.Equal(["Disposed", "Disposed"], [await Status(byApi), await Status(byPage)]);
    }

    [Fact]
    public async Task The_register_form_refuses_an_unknown_unit_code_as_the_import_does()
    {
        using var browser = await SignedIn(As.Admin);
        var form = await browser.GetStringAsync("/vehicles/new");
        var page = await browser.PostAsync("/vehicles/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UnitCode"] = "NO-SUCH-UNIT",
            ["__fleet_form"] = PageForms.Token(form),
        }));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var shown = Fleet.Api.Features.Workspace.Chinese.Of(new Fleet.Api.Infrastructure.CodedText("Vehicles.NoUnitWithCode", ("code", "NO-SUCH-UNIT")));
        Assert.Contains(shown, WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_reports_page_refuses_the_filters_the_report_endpoints_refuse()
    {
        var api = await Client.Problem(await fleet.As(As.Admin).Get("/api/reports/violations.xlsx?from=2026-05-03&to=2026-05-01"), HttpStatusCode.BadRequest, "to");
        var unnamed = await Client.Problem(await fleet.As(As.Admin).Get("/api/reports/sealup-compliance.xlsx"), HttpStatusCode.BadRequest, "scheduleId");

        using var browser = await SignedIn(As.Admin);
        var dates = await browser.GetAsync("/reports?download=violations&from=2026-05-03&to=2026-05-01");
        var schedule = await browser.GetAsync("/reports?download=sealup-compliance");

        // Each stays on the page (no redirect to the workbook) with the endpoint's refusal in Chinese.
        Assert.Equal(HttpStatusCode.OK, dates.StatusCode);
        Assert.Contains(Chinese((string)api["codes"]!["to"]![0]!), WebUtility.HtmlDecode(await dates.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        Assert.Contains(Chinese((string)unnamed["codes"]!["scheduleId"]![0]!), WebUtility.HtmlDecode(await schedule.Content.ReadAsStringAsync()));

        // The Chinese of a code that takes no arguments.
        static string Chinese(string code) => Fleet.Api.Features.Workspace.Chinese.Of(new Fleet.Api.Infrastructure.CodedText(code));
    }

    [Fact]
    public async Task A_missing_page_or_record_answers_in_chinese_and_the_api_keeps_its_problem_details()
    {
        using var browser = await SignedIn(As.VehicleAdmin);
        var missing = await browser.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("未找到", await missing.Content.ReadAsStringAsync());
        var record = await browser.GetAsync($"/violations/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, record.StatusCode);
        Assert.Contains("没有这个页面或记录", await record.Content.ReadAsStringAsync());
        var api = await browser.GetAsync($"/api/vehicles/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_admin_opens_the_jobs_dashboard_from_the_pages_and_nobody_else_does()
    {
        using var admin = await SignedIn(As.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        using var auditor = await SignedIn(As.Auditor);
        Assert.NotEqual(HttpStatusCode.OK, (await auditor.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_on_the_page_is_audited_under_the_person_signing_in()
    {
        using var browser = await SignedIn(As.Inspector);
        var username = fleet.Account(As.Inspector).Username;
        var entries = await fleet.As(As.Admin).GetJson($"/api/audit?actor={username}");
        Assert.Contains(entries["items"]!.AsArray(), e => (string)e!["action"]! == "SignIn");
    }

    [Fact]
    public async Task A_session_left_idle_longer_than_the_timeout_ends_and_one_in_use_goes_on()
    {
        using var factory = new FleetFactory(null, new() { ["Fleet:Web:IdleMinutes"] = "30" });
        Task<HttpClient> SignInAdmin() => PageForms.SignedIn(factory, "admin", FleetFactory.AdminPassword);
        using var busy = await SignInAdmin();
        using var idle = await SignInAdmin();
        for (var i = 0; i < 4; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/vehicles")).StatusCode);
        }
        var ended = await idle.GetAsync("/vehicles");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/login", ended.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_reports_page_lists_the_monthly_archive_and_its_link_downloads_the_recorded_file()
    {
        await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2026-12-20T02:00:00Z", location = "大院", finding = "Compliant" }), HttpStatusCode.Created);
        await fleet.Factory.RunReportArchive();
        var archived = (await fleet.As(As.Auditor).GetJson("/api/reports/archive?month=2026-12&report=spot-checks"))["items"]!.AsArray().Single()!;

        using var browser = await SignedIn(As.Auditor);
        var html = await browser.GetStringAsync("/reports");
        Assert.Contains("月度存档", html);
        var link = Regex.Match(html, "<a href=\"(/api/reports/archive/[0-9a-f-]+)\" download=\"[^\"]+\" aria-label=\"下载 2026-12 监督抽查\">");
        Assert.True(link.Success, "no download link for December's spot checks");
        Assert.Contains(((string)archived["sha256"]!)[..16], html);
        var bytes = await browser.GetByteArrayAsync(link.Groups[1].Value);
        Assert.Equal((string)archived["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = await SignedIn(As.Inspector);
        var home = await browser.GetStringAsync("/");
        var token = PageForms.Token(home);
        Assert.NotEqual("", token);
        var response = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__fleet_form"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/login", after.Headers.Location!.OriginalString);
    }

    private Task<HttpClient> SignedIn(As who) => who == As.Anonymous
        ? Task.FromResult(PageForms.Browser(fleet.Factory))
        : SignedIn(fleet.Account(who).Username, fleet.Account(who).Password);

    private Task<HttpClient> SignedIn(string username, string password) => PageForms.SignedIn(fleet.Factory, username, password);
}
