using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Fleet.Api.Features.Users;
using Microsoft.Extensions.Caching.Memory;

namespace Fleet.Benchmarks;

/// <summary>
/// What each piece of Fleet's request pipeline costs GET /api/vehicles/{id}: the whole server against the same server
/// with one piece left out (Fleet:Benchmark:Without), and with all of them left out, in interleaved rounds on one
/// database; and the pieces that cannot be left out (the security stamp check) timed in a loop of their own.
/// </summary>
public static class PiecesBenchmark
{
    private static readonly string[] Pieces =
        ["request-log", "safety-headers", "exception-handler", "status-pages", "workspace", "body-limit", "idempotency", "antiforgery", "strict-query"];

    public static async Task RunAsync(string database, int seconds)
    {
        StampCheck();
        var copy = ReconcileBenchmark.Copy(database, "pieces");
        const string key = "bench-signing-key-0123456789-abcdefghijklmnop";
        var servers = new List<(string Name, Server Server)>();
        try
        {
            // The whole server twice: how far two processes of the same build differ is the resolution of every other row.
            var variants = new[] { "", "" }.Concat(Pieces).Append(string.Join(',', Pieces)).ToList();
            for (var i = 0; i < variants.Count; i++)
            {
                var server = await Server.StartAsync(copy, 5200 + i, new Dictionary<string, string>
                {
                    ["Fleet__Benchmark__Endpoints"] = "true",
                    ["Fleet__Benchmark__Without"] = variants[i],
                    ["Fleet__Jwt__SigningKey"] = key,
                    ["Logging__LogLevel__Default"] = "Information",
                });
                servers.Add((i == 0 ? "whole" : i == 1 ? "whole, a second process" : i == variants.Count - 1 ? "all left out" : "without " + variants[i], server));
            }
            var token = servers[0].Server.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            var vehicle = (await servers[0].Server.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/vehicles?pageSize=1&plateNumber=京A00100"))!["items"]![0]!["id"]!.ToString();
            var rounds = int.TryParse(Environment.GetEnvironmentVariable("FLEET_BENCH_ROUNDS"), out var asked) ? asked : 3;
            var results = servers.ToDictionary(s => s.Name, _ => new List<(double Rate, double CpuMs)>());
            foreach (var (_, server) in servers) ThroughputBenchmark.Measured(10, server.Pid, token, $"{server.Http.BaseAddress}api/vehicles/{vehicle}");
            for (var round = 0; round < rounds; round++)
                foreach (var (name, server) in round % 2 == 0 ? servers : Enumerable.Reverse(servers))
                {
                    var r = ThroughputBenchmark.Measured(seconds, server.Pid, token, $"{server.Http.BaseAddress}api/vehicles/{vehicle}");
                    results[name].Add((r.Rate, r.CpuMs));
                    Console.WriteLine($"  round {round + 1} {name}: {r.Rate:N0} req/s, {r.CpuMs:F4} ms CPU/request");
                }
            var whole = results["whole"];
            Console.WriteLine("| pipeline | GET req/s (median) | CPU/request (median) | CPU saved against the whole, per round's pair |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (name, _) in servers)
            {
                var r = results[name];
                var saved = r.Zip(whole, (x, w) => 1000 * (w.CpuMs - x.CpuMs)).ToList();
                Console.WriteLine($"| {name} | {Measure.Median(r.Select(x => x.Rate)):N0} | {Measure.Median(r.Select(x => x.CpuMs)) * 1000:F1} µs | {Measure.Median(saved):+0.0;−0.0} µs (rounds {string.Join(", ", saved.Select(x => x.ToString("+0.0;−0.0", CultureInfo.InvariantCulture)))}) |");
            }
        }
        finally
        {
            foreach (var (_, server) in servers) await server.DisposeAsync();
            ReconcileBenchmark.Delete(copy);
        }
    }

    /// <summary>The security stamp check of every token (a cached read of the account's stamp), in a loop of its own.</summary>
    private static void StampCheck()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var stamps = new AccountStamps(cache, null!);
        var user = Guid.NewGuid();
        cache.Set("stamp:" + user.ToString("N"), Activator.CreateInstance(typeof(AccountStamps).GetNestedType("Current", System.Reflection.BindingFlags.NonPublic)!, "s", true), TimeSpan.FromHours(1));
        const int n = 2_000_000;
        for (var i = 0; i < n / 10; i++) _ = stamps.IsCurrentAsync(user, "s", default).Result;
        var watch = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
            if (!stamps.IsCurrentAsync(user, "s", default).Result) throw new InvalidOperationException("the stamp was not found");
        Console.WriteLine($"| security stamp check (cached) | {watch.Elapsed.TotalMicroseconds * 1000 / n:F0} ns a request, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / n} bytes allocated |");
    }
}
