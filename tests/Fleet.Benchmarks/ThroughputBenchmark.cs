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
    public sealed record Result(string What, double Rate, double BareRate, long Errors, double PeakMb);

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

            var bare = Wrk(seconds, token, $"{url}/api/bench/ping");
            var get = Wrk(seconds, token, $"{url}/api/vehicles/{vehicle}");
            var script = Path.Combine(Path.GetTempPath(), "fleet-spot-check.lua");
            await File.WriteAllTextAsync(script, $$"""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"vehicleId":"{{vehicle}}","checkedAt":"2026-10-01T02:00:00Z","location":"单位大院","finding":"Compliant"}'
                """);
            var post = Wrk(seconds, (string)inspector!["accessToken"]!, $"{url}/api/spot-checks", script);
            var peak = Measure.PeakMb(server.Pid);
            return
            [
                new("GET /api/vehicles/{id}", get.Rate, bare.Rate, get.Errors, peak),
                new("POST /api/spot-checks", post.Rate, bare.Rate, post.Errors, peak),
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
