using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Benchmarks;

/// <summary>
/// HTTP throughput on loopback with 32 concurrent connections (wrk), for GET /api/vehicles/{id} and POST /api/spot-checks,
/// against the anchor (<see cref="RawServer"/>: the same work done the fastest plain way, in a process of its own) and,
/// as the older yardstick, a bare endpoint behind Fleet's authentication returning a constant JSON; interleaved rounds.
/// </summary>
public static partial class ThroughputBenchmark
{
    public sealed record Result(string What, double Rate, double RawRate, double BareRate, long Errors, double PeakMb, double RawPeakMb,
        List<double> RoundRatios, double CpuMsPerRequest, double RawCpuMsPerRequest);

    public const int Rounds = 3;

    /// <param name="logging">Fleet's default log level; "Information" is what users run (one line per request).</param>
    public static async Task<List<Result>> RunAsync(string database, int seconds, string logging = "Information")
    {
        var copy = ReconcileBenchmark.Copy(database, "http");
        var rawCopy = ReconcileBenchmark.Copy(database, "http-raw");
        const string key = "bench-signing-key-0123456789-abcdefghijklmnop";
        Process? raw = null;
        try
        {
            await using var server = await Server.StartAsync(copy, 5094, new Dictionary<string, string>
            {
                ["Fleet__Benchmark__Endpoints"] = "true",
                ["Fleet__Jwt__SigningKey"] = key,
                ["Logging__LogLevel__Default"] = logging,
            });
            // The same server with the request log off (Warning), on the same database: what the log line costs.
            await using var quiet = await Server.StartAsync(copy, 5097, new Dictionary<string, string>
            {
                ["Fleet__Jwt__SigningKey"] = key,
                ["Logging__LogLevel__Default"] = "Warning",
            });
            raw = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Fleet.Benchmarks.dll"), "raw-server", rawCopy, "5096", key]))!;
            using (var probe = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5096") })
                await Measure.WaitForHealthAsync(probe, raw);
            var token = server.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            // The spot checks are an inspector's: sign one in.
            await server.Http.PostAsJsonAsync("/api/users", new { username = "bench-inspector", password = Server.Password, role = "Inspector" });
            var inspector = await (await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "bench-inspector", password = Server.Password })).Content.ReadFromJsonAsync<JsonObject>();
            var vehicle = (await server.Http.GetFromJsonAsync<JsonObject>("/api/vehicles?pageSize=1&plateNumber=京A00100"))!["items"]![0]!["id"]!.ToString();
            const string url = "http://127.0.0.1:5094", rawUrl = "http://127.0.0.1:5096";

            var script = Path.Combine(Path.GetTempPath(), "fleet-spot-check.lua");
            await File.WriteAllTextAsync(script, $$"""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"vehicleId":"{{vehicle}}","checkedAt":"2026-10-01T02:00:00Z","location":"单位大院","finding":"Compliant"}'
                """);
            var inspectorToken = (string)inspector!["accessToken"]!;
            // The same reads and writes by people of one city (济南市, a region below the root): what the scope by subtree costs.
            var regions = (await server.Http.GetFromJsonAsync<JsonArray>("/api/regions"))!;
            var city = regions.First(r => (string)r!["code"]! == "370100")!["id"]!.ToString();
            var cityVehicle = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/vehicles?pageSize=1&regionId={city}"))!["items"]![0]!["id"]!.ToString();
            string CityToken(string role)
            {
                var name = $"bench-city-{role.ToLowerInvariant()}";
                server.Http.PostAsJsonAsync("/api/users", new { username = name, password = Server.Password, role, regionId = city }).GetAwaiter().GetResult();
                return (string)server.Http.PostAsJsonAsync("/api/auth/token", new { username = name, password = Server.Password }).GetAwaiter().GetResult()
                    .Content.ReadFromJsonAsync<JsonObject>().GetAwaiter().GetResult()!["accessToken"]!;
            }
            var cityAuditor = CityToken("Auditor");
            var cityInspector = CityToken("Inspector");
            var cityScript = Path.Combine(Path.GetTempPath(), "fleet-spot-check-city.lua");
            await File.WriteAllTextAsync(cityScript, $$"""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"vehicleId":"{{cityVehicle}}","checkedAt":"2026-10-01T02:00:00Z","location":"单位大院","finding":"Compliant"}'
                """);
            // Same request, same token, against each server; the CPU time of the server process is read around each run.
            (double Rate, long Errors, double CpuMs) Run(int s, int pid, string tok, string target, string? lua = null)
            {
                var before = CpuMs(pid);
                var (rate, errors, requests) = Wrk(s, tok, target, lua);
                return (rate, errors, (CpuMs(pid) - before) / Math.Max(1, requests));
            }
            var paths = new (string Name, Func<int, (double Rate, long Errors, double CpuMs)> Run)[]
            {
                ("bare", s => Run(s, server.Pid, token, $"{url}/api/bench/ping")),
                ("get", s => Run(s, server.Pid, token, $"{url}/api/vehicles/{vehicle}")),
                ("raw-get", s => Run(s, raw.Id, token, $"{rawUrl}/api/vehicles/{vehicle}")),
                ("get-quiet", s => Run(s, quiet.Pid, token, $"http://127.0.0.1:5097/api/vehicles/{vehicle}")),
                ("post", s => Run(s, server.Pid, inspectorToken, $"{url}/api/spot-checks", script)),
                ("raw-post", s => Run(s, raw.Id, inspectorToken, $"{rawUrl}/api/spot-checks", script)),
                ("get-city", s => Run(s, server.Pid, cityAuditor, $"{url}/api/vehicles/{cityVehicle}")),
                ("post-city", s => Run(s, server.Pid, cityInspector, $"{url}/api/spot-checks", cityScript)),
            };
            // Warm every path first (JIT tiering, pools), then interleave rounds: rates on this machine move between
            // runs, so each path is measured in every round and the medians compared.
            // 10 s each: the POST's code is still being tiered up by the JIT for the first 20 s or so under load.
            // FLEET_BENCH_PATHS (names, comma-separated) and FLEET_BENCH_ROUNDS measure a few paths over more rounds, in
            // alternating order (the scope's cost: get,get-city,post,post-city over 9 rounds).
            if (Environment.GetEnvironmentVariable("FLEET_BENCH_PATHS")?.Split(',') is { } only) paths = [.. paths.Where(p => only.Contains(p.Name))];
            var rounds = int.TryParse(Environment.GetEnvironmentVariable("FLEET_BENCH_ROUNDS"), out var asked) ? asked : Rounds;
            foreach (var (_, run) in paths) run(10);
            var results = paths.ToDictionary(p => p.Name, _ => new List<(double Rate, long Errors, double CpuMs)>());
            for (var round = 0; round < rounds; round++)
                foreach (var (name, run) in round % 2 == 0 ? paths : [.. Enumerable.Reverse(paths)])
                {
                    var r = run(seconds);
                    results[name].Add(r);
                    Console.WriteLine($"  round {round + 1} {name}: {r.Rate:N0} req/s, {r.CpuMs:F3} ms CPU/request, {r.Errors} errors");
                }
            foreach (var (what, scoped, root) in new[] { ("GET /api/vehicles/{id}", "get-city", "get"), ("POST /api/spot-checks", "post-city", "post") })
            {
                if (!results.ContainsKey(scoped) || !results.ContainsKey(root)) continue;
                var ratios = results[scoped].Zip(results[root], (c, r) => 1 - c.Rate / r.Rate).ToList();
                var cpu = results[scoped].Zip(results[root], (c, r) => c.CpuMs / r.CpuMs - 1).ToList();
                Console.WriteLine($"| `{what}` by a city's people (scope by subtree) | {Measure.Median(results[scoped].Select(r => r.Rate)):N0} req/s, {Measure.Median(results[scoped].Select(r => r.CpuMs)):F3} ms CPU/request | the root's people, same run: {Measure.Median(results[root].Select(r => r.Rate)):N0} req/s, {Measure.Median(results[root].Select(r => r.CpuMs)):F3} ms CPU/request | costs {100 * Measure.Median(ratios):F1} % of throughput, {100 * Measure.Median(cpu):F1} % more CPU per request (medians of {rounds} rounds' ratios; throughput rounds: {string.Join(", ", ratios.Select(x => $"{100 * x:+0;−0} %"))}) | | ≤ 5 % |");
            }
            var peak = Measure.PeakMb(server.Pid);
            var rawPeak = Measure.PeakMb(raw.Id);
            var bareRate = results.TryGetValue("bare", out var bare) ? Measure.Median(bare.Select(r => r.Rate)) : 0;
            Result Of(string what, string fleet, string anchor) => new(what, Measure.Median(results[fleet].Select(r => r.Rate)), Measure.Median(results[anchor].Select(r => r.Rate)),
                bareRate, results[fleet].Sum(r => r.Errors) + results[anchor].Sum(r => r.Errors), peak, rawPeak,
                results[fleet].Zip(results[anchor], (f, a) => f.Rate / a.Rate).ToList(), Measure.Median(results[fleet].Select(r => r.CpuMs)), Measure.Median(results[anchor].Select(r => r.CpuMs)));
            if (results.ContainsKey("get") && results.ContainsKey("get-quiet"))
            {
                var logCost = 1 - Measure.Median(results["get"].Zip(results["get-quiet"], (g, q) => g.Rate / q.Rate));
                var logCpu = Measure.Median(results["get"].Select(r => r.CpuMs)) / Measure.Median(results["get-quiet"].Select(r => r.CpuMs)) - 1;
                Console.WriteLine($"| request log (one line per request at Information) | GET at Information: {Measure.Median(results["get"].Select(r => r.Rate)):N0} req/s, {Measure.Median(results["get"].Select(r => r.CpuMs)):F3} ms CPU/request | same server at Warning: {Measure.Median(results["get-quiet"].Select(r => r.Rate)):N0} req/s, {Measure.Median(results["get-quiet"].Select(r => r.CpuMs)):F3} ms CPU/request | costs {100 * logCost:F1} % of GET throughput (median of the rounds' ratios), {100 * logCpu:F1} % more CPU per request | | < 5 % |");
            }
            return [.. new[] { ("GET /api/vehicles/{id}", "get", "raw-get"), ("POST /api/spot-checks", "post", "raw-post") }
                .Where(p => results.ContainsKey(p.Item2) && results.ContainsKey(p.Item3)).Select(p => Of(p.Item1, p.Item2, p.Item3))];
        }
        finally
        {
            if (raw is { HasExited: false }) raw.Kill();
            raw?.WaitForExit();
            ReconcileBenchmark.Delete(copy);
            ReconcileBenchmark.Delete(rawCopy);
        }
    }

    /// <summary>wrk against <paramref name="url"/> for the time given: the rate, and the server's CPU per request.</summary>
    public static (double Rate, long Errors, double CpuMs) Measured(int seconds, int pid, string token, string url, string? script = null)
    {
        var before = CpuMs(pid);
        var (rate, errors, requests) = Wrk(seconds, token, url, script);
        return (rate, errors, (CpuMs(pid) - before) / Math.Max(1, requests));
    }

    /// <summary>User + system CPU time of a process so far, in ms, from /proc/pid/stat (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static (double Rate, long Errors, long Requests) Wrk(int seconds, string token, string url, string? script = null)
    {
        var args = new List<string> { "-t2", "-c32", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}" };
        if (script is not null) args.AddRange(["-s", script]);
        args.Add(url);
        var info = new ProcessStartInfo("wrk", args) { RedirectStandardOutput = true };
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk is not installed: run tests/Fleet.Benchmarks/run.sh, which installs it.");
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        var rate = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s ? s.Groups[1].Value.Split(',').Sum(p => long.Parse(p.Trim().Split(' ')[1], CultureInfo.InvariantCulture)) : 0;
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rate, errors + socket, requests);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d\.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:\s+(.+)")]
    private static partial Regex SocketErrors();
}
