using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>
/// One real Fleet server (Kestrel on a free loopback port, a fresh database with the demo district, the fake clock)
/// and one headless chromium for the browser tests. Each test opens its own browser context (its own cookies) and
/// changes only records it creates, so the tests do not depend on each other.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium, or FLEET_CHROMIUM (ensure-browser.sh, run by dotnet test before any test, checks the same path).</summary>
    public static readonly string Chromium = Environment.GetEnvironmentVariable("FLEET_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
    public const string Password = FleetFactory.AdminPassword;

    public FleetFactory Fleet { get; } = new(null, new() { ["Fleet:Seed:Demo"] = "true" });
    public string BaseUrl { get; private set; } = "";
    private IPlaywright? playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fleet.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        Fleet.StartServer();
        BaseUrl = Fleet.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await Fleet.DisposeAsync();
    }

    /// <summary>An API client with a token, for arranging what a test needs (the pages are what it asserts).</summary>
    public async Task<HttpClient> ApiAs(string username)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { username, password = Password })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)token!["accessToken"]!);
        return http;
    }

    private readonly SemaphoreSlim arranging = new(1, 1);
    private string? schedule;

    /// <summary>The Spring Festival seal-up schedule of the demo year: the demo's own, or published once for the tests that need one.</summary>
    public async Task<string> SpringFestival()
    {
        await arranging.WaitAsync();
        try
        {
            if (schedule is not null) return schedule;
            using var admin = await ApiAs("admin");
            var holidays = (await admin.GetFromJsonAsync<JsonObject>("/api/holidays?year=2027"))!["items"]!.AsArray();
            var festival = holidays.First(h => (string)h!["name"]! == "春节")!;
            // The demo publishes the next holiday's seal-up when it starts: on the tests' clock (2027-01-10), 春节's.
            var demo = (await admin.GetFromJsonAsync<JsonObject>("/api/sealup-schedules?pageSize=100"))!["items"]!.AsArray()
                .FirstOrDefault(s => (string)s!["holidayId"]! == (string)festival["id"]!);
            if (demo is not null) return schedule = (string)demo["id"]!;
            var published = await admin.PostAsJsonAsync("/api/sealup-schedules", new
            {
                holidayId = (string)festival["id"]!,
                sealDeadline = "2027-02-04T10:00:00",
                releaseAt = "2027-02-13T08:00:00",
            });
            published.EnsureSuccessStatusCode();
            return schedule = (string)(await published.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        }
        finally
        {
            arranging.Release();
        }
    }

    /// <summary>The plates of the demo unit D01's cars (the vehicle administrator's), in plate order.</summary>
    public async Task<List<(string Id, string Plate)>> CarsOfD01()
    {
        using var vadmin = await ApiAs("vadmin");
        var page = (await vadmin.GetFromJsonAsync<JsonObject>("/api/vehicles?status=Active&pageSize=100"))!;
        return page["items"]!.AsArray().Select(v => ((string)v!["id"]!, (string)v["plateNumber"]!)).OrderBy(v => v.Item2, StringComparer.Ordinal).ToList();
    }

    /// <summary>A car of the demo district in use that no other browser test touches: the n-th by plate (tests take distinct n).</summary>
    public async Task<(string Id, string Plate)> CarOfDistrict(int n)
    {
        using var admin = await ApiAs("admin");
        var cars = (await admin.GetFromJsonAsync<JsonObject>("/api/vehicles?status=Active&pageSize=100"))!["items"]!.AsArray();
        var car = cars.OrderBy(v => (string)v!["plateNumber"]!, StringComparer.Ordinal).ElementAt(n)!;
        return ((string)car["id"]!, (string)car["plateNumber"]!);
    }

    /// <summary>A new browser context signed in as <paramref name="username"/>, watching for script errors and foreign requests.</summary>
    public async Task<Visit> SignIn(string username, int width = 1280, int height = 800, string? password = null, string? timezone = null)
    {
        var visit = await Visit.OpenAsync(this, width, height, timezone);
        await visit.SignIn(username, password ?? Password);
        return visit;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
