using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Fleet.Benchmarks;

/// <summary>
/// The workspace's pages on the province (1,000,000 vehicles), signed in as the district's admin (who sees every
/// unit: the largest lists), each page beside the API call that reads the same rows, in the same run: 2 warm-ups,
/// then the median of 7 over loopback.
/// </summary>
public static partial class PagesBenchmark
{
    public sealed record Result(string Page, double Milliseconds, string? Api, double ApiMilliseconds, int Bytes);

    private static readonly (string Page, string? Api)[] Pages =
    [
        ("/", null),
        ("/vehicles", "/api/vehicles"),
        ("/vehicles?plate=K2W", "/api/vehicles?plateNumber=K2W"),
        ("/vehicles?page=10000", "/api/vehicles?page=10000"),
        ("/sealup", null),
        ("/sealup?unit=U00017", null),
        ("/violations", "/api/violations"),
        ("/spot-checks", "/api/spot-checks"),
        ("/recoveries", "/api/recoveries"),
        ("/units", "/api/units"),
        ("/audit", "/api/audit"),
    ];

    public static async Task<List<Result>> RunAsync(string database)
    {
        var copy = ReconcileBenchmark.Copy(database, "pages");
        try
        {
            await using var server = await Server.StartAsync(copy, 5096);
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            var login = await browser.GetStringAsync("/login");
            var token = FormToken().Match(login).Groups[1].Value;
            var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "admin",
                ["password"] = Server.Password,
                ["__fleet_form"] = token,
            }));
            if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in: {(int)signedIn.StatusCode}");
            var results = new List<Result>();
            foreach (var (page, api) in Pages)
            {
                var (pageMs, bytes) = await MedianAsync(browser, page);
                var apiMs = api is null ? double.NaN : (await MedianAsync(server.Http, api)).Ms;
                results.Add(new Result(page, pageMs, api, apiMs, bytes));
            }
            return results;
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    private static async Task<(double Ms, int Bytes)> MedianAsync(HttpClient http, string url)
    {
        var times = new List<double>();
        var bytes = 0;
        for (var i = 0; i < 9; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
            bytes = body.Length;
            if (i >= 2) times.Add(ms);
        }
        return (times.Order().ElementAt(times.Count / 2), bytes);
    }

    [GeneratedRegex("name=\"__fleet_form\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
