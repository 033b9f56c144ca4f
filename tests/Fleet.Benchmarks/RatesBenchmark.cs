using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Benchmarks;

/// <summary>
/// Recovery rates and seal-up compliance for the province's 10,000 units through the real server (median of five
/// calls), against the naive way in the same run: loading every case or order and grouping in memory.
/// </summary>
public static class RatesBenchmark
{
    public sealed record Result(string What, double Seconds, double BaselineSeconds, double PeakMb, int Units);

    public static async Task<List<Result>> RunAsync(string database)
    {
        var results = new List<Result>();
        await using var server = await Server.StartAsync(database, 5093);
        var options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new FleetDbContext(options);

        var (rates, ratesUnits) = await MedianAsync(server, "/api/recoveries/rates");
        var naiveRates = await TimeAsync(async () =>
        {
            var cases = await db.RecoveryCases.AsNoTracking().ToListAsync();
            return cases.GroupBy(c => c.UnitId).Select(g => (g.Count(), g.Count(c => c.Status == RecoveryStatus.Recovered))).Count();
        });
        results.Add(new("recovery rates", rates, naiveRates, Measure.PeakMb(server.Pid), ratesUnits));

        var (compliance, complianceUnits) = await MedianAsync(server, "/api/sealup-schedules/00000000-0000-0000-0000-0000000000b2/compliance");
        var naiveCompliance = await TimeAsync(async () =>
        {
            var orders = await db.SealOrders.AsNoTracking().ToListAsync();
            return orders.GroupBy(o => o.UnitId).Select(g => g.Count(o => o.Status == SealOrderStatus.Sealed)).Count();
        });
        results.Add(new("seal-up compliance", compliance, naiveCompliance, Measure.PeakMb(server.Pid), complianceUnits));
        return results;
    }

    private static async Task<(double Seconds, int Units)> MedianAsync(Server server, string url)
    {
        var times = new List<double>();
        var units = 0;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var body = await server.Http.GetFromJsonAsync<JsonObject>(url);
            times.Add(watch.Elapsed.TotalSeconds);
            units = body!["units"]!.AsArray().Count;
        }
        return (times.Order().ElementAt(2), units);
    }

    private static async Task<double> TimeAsync(Func<Task<int>> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalSeconds;
    }
}
