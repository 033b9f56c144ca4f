using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Benchmarks;

/// <summary>
/// HTTP throughput on loopback with 32 concurrent connections (wrk), for GET /api/vehicles/{id} and POST /api/spot-checks,
/// against a bare endpoint behind the same authentication returning a constant JSON, in the same server process and run.
/// </summary>
public static partial class ThroughputBenchmark
{
    public sealed record Result(string What, double Rate, double BareRate, long Errors, double PeakMb, List<double> RoundRatios);

    public const int Rounds = 3;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static async Task<List<Result>> RunAsync(string database, int seconds)
    {
        var copy = ReconcileBenchmark.Copy(database, "http");
        try
        {
            await using var server = await Server.StartAsync(copy, 5094, new Dictionary<string, string> { ["Fleet__Benchmark__Endpoints"] = "true" });
            var token = server.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            // The spot checks are an inspector's: sign one in.
            await server.Http.PostAsJsonAsync("/api/users", new { username = "bench-inspector", password = Server.Password, role = "Inspector" });
            var inspector = await (await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "bench-inspector", password = Server.Password })).Content.ReadFromJsonAsync<JsonObject>();
            var vehicle = (await server.Http.GetFromJsonAsync<JsonObject>("/api/vehicles?pageSize=1&plateNumber=京A00100"))!["items"]![0]!["id"]!.ToString();
            var url = $"http://127.0.0.1:5094";

            var script = Path.Combine(Path.GetTempPath(), "fleet-spot-check.lua");
            await File.WriteAllTextAsync(script, $$"""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"vehicleId":"{{vehicle}}","checkedAt":"2026-10-01T02:00:00Z","location":"单位大院","finding":"Compliant"}'
                """);
            var inspectorToken = (string)inspector!["accessToken"]!;
            (double Rate, long Errors) Bare(int s) => Wrk(s, token, $"{url}/api/bench/ping");
            (double Rate, long Errors) Get(int s) => Wrk(s, token, $"{url}/api/vehicles/{vehicle}");
            (double Rate, long Errors) Post(int s) => Wrk(s, inspectorToken, $"{url}/api/spot-checks", script);

            // Warm every path first (JIT tiering, pools), then interleave rounds: the bare endpoint's rate on this
            // machine moves by half between runs, so each endpoint is measured in every round and the medians compared.
            Bare(3);
            Get(3);
            Post(3);
            var bare = new List<(double Rate, long Errors)>();
            var get = new List<(double Rate, long Errors)>();
            var post = new List<(double Rate, long Errors)>();
            for (var round = 0; round < Rounds; round++)
            {
                bare.Add(Bare(seconds));
                get.Add(Get(seconds));
                post.Add(Post(seconds));
            }
            var peak = Measure.PeakMb(server.Pid);
            var bareRate = Median(bare.Select(r => r.Rate));
            return
            [
                new("GET /api/vehicles/{id}", Median(get.Select(r => r.Rate)), bareRate, get.Sum(r => r.Errors), peak,
                    get.Zip(bare, (g, b) => g.Rate / b.Rate).ToList()),
                new("POST /api/spot-checks", Median(post.Select(r => r.Rate)), bareRate, post.Sum(r => r.Errors), peak,
                    post.Zip(bare, (p, b) => p.Rate / b.Rate).ToList()),
            ];
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    private static (double Rate, long Errors) Wrk(int seconds, string token, string url, string? script = null)
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
        return (rate, errors + socket);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d\.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:\s+(.+)")]
    private static partial Regex SocketErrors();
}
