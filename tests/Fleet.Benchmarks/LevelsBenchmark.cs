using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Benchmarks;

/// <summary>
/// Levels on the province (山东省, 16 cities, 136 counties, 10,000 units, 1,000,000 cars): the roll-ups, a city's lists and
/// home page as the city's people see them, and a city's violations report against the province's (time proportional to
/// the rows, not to the province). Server time as the client sees it on loopback, median of 7 after 2 warm-ups.
/// </summary>
public static partial class LevelsBenchmark
{
    public sealed record Result(string What, double Milliseconds, string Detail, string Target);

    public static async Task<List<Result>> RunAsync(string database)
    {
        var copy = ReconcileBenchmark.Copy(database, "levels");
        try
        {
            await using var server = await Server.StartAsync(copy, 5098);
            var regions = (await server.Http.GetFromJsonAsync<JsonArray>("/api/regions"))!;
            var root = regions.First(r => r!["parentId"] is null)!["id"]!.ToString();
            var city = regions.First(r => (string)r!["code"]! == "370100")!["id"]!.ToString();
            await server.Http.PostAsJsonAsync("/api/users", new { username = "bench-city-auditor", password = Server.Password, role = "Auditor", regionId = city });
            var token = (string)(await (await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "bench-city-auditor", password = Server.Password }))
                .Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
            using var cityApi = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            cityApi.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var cityPages = await SignInAsync(server.Http.BaseAddress!, "bench-city-auditor");

            var results = new List<Result>();
            var (province, _) = await MedianAsync(server.Http, $"/api/regions/{root}/summary");
            results.Add(new("the province's summary by city (16 cities, 10,000 units)", province, "admin at the root", "< 500 ms"));
            var (bycounty, _) = await MedianAsync(cityApi, $"/api/regions/{city}/summary");
            results.Add(new("济南市's summary by district", bycounty, "the city's auditor", "< 200 ms"));
            var (list, _) = await MedianAsync(cityApi, "/api/vehicles");
            var total = (int)(await cityApi.GetFromJsonAsync<JsonObject>("/api/vehicles?pageSize=1"))!["total"]!;
            results.Add(new("济南市's vehicles list (`GET /api/vehicles`, first page)", list, $"the city's auditor: {total:N0} of the province's cars", "< 300 ms"));
            var (home, bytes) = await MedianAsync(cityPages, "/");
            results.Add(new("济南市's home page (全市概况)", home, $"the city's auditor, {bytes / 1024} KB", "< 300 ms"));

            // The violations report of a month: a district's, the city's and the province's, with their rows (median of 3 after
            // a warm-up each): the time should follow the rows, with what every workbook costs on top.
            const string month = "/api/reports/violations.xlsx?from=2026-06-01&to=2026-06-30";
            var district = regions.First(r => (string)r!["code"]! == "370102")!["id"]!.ToString();
            await server.Http.PostAsJsonAsync("/api/users", new { username = "bench-district-auditor", password = Server.Password, role = "Auditor", regionId = district });
            var districtToken = (string)(await (await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "bench-district-auditor", password = Server.Password }))
                .Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
            using var districtApi = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            districtApi.DefaultRequestHeaders.Authorization = new("Bearer", districtToken);
            var reports = new List<(string Who, double Ms, int Bytes, int Rows)>();
            foreach (var (who, http) in new[] { ("历下区", districtApi), ("济南市", cityApi), ("the province", server.Http) })
            {
                var (ms, length) = await MedianAsync(http, month, runs: 3, warmUps: 1);
                var rows = (int)(await http.GetFromJsonAsync<JsonObject>("/api/violations?pageSize=1&from=2026-06-01&to=2026-06-30"))!["total"]!;
                reports.Add((who, ms, length, rows));
            }
            var (d, c, p) = (reports[0], reports[1], reports[2]);
            // The cost of a row from the province against the district (the extremes), and what a workbook costs without rows.
            var perRow = (p.Ms - d.Ms) / (p.Rows - d.Rows);
            var fixedCost = d.Ms - perRow * d.Rows;
            results.Add(new("violations report of June, 济南市 against 历下区 and the province", c.Ms,
                $"{c.Rows:N0} rows ({c.Bytes / 1024} KB); 历下区 {d.Ms:F0} ms for {d.Rows:N0} rows; the province {p.Ms:F0} ms for {p.Rows:N0} rows. " +
                $"Per row {perRow * 1000:F1} µs on top of {fixedCost:F0} ms per workbook: the city's predicted {fixedCost + perRow * c.Rows:F0} ms",
                "time ∝ rows"));
            return results;
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri address, string username)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var login = await browser.GetStringAsync("/login");
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = Server.Password,
            ["__fleet_form"] = FormToken().Match(login).Groups[1].Value,
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in: {(int)signedIn.StatusCode}");
        return browser;
    }

    private static async Task<(double Ms, int Bytes)> MedianAsync(HttpClient http, string url, int runs = 7, int warmUps = 2)
    {
        var times = new List<double>();
        var bytes = 0;
        for (var i = 0; i < runs + warmUps; i++)
        {
            var (ms, length) = await OnceAsync(http, url);
            bytes = length;
            if (i >= warmUps) times.Add(ms);
        }
        return (times.Order().ElementAt(times.Count / 2), bytes);
    }

    private static async Task<(double Ms, int Bytes)> OnceAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
        return (watch.Elapsed.TotalMilliseconds, body.Length);
    }

    [GeneratedRegex("name=\"__fleet_form\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
