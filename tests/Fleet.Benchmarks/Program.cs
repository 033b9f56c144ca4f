using System.Diagnostics;
using System.Globalization;

namespace Fleet.Benchmarks;

// Fleet's performance figures. Run by hand (see README, "Performance"); CI runs only a smoke-scale generation test.
//   generate <db> [province|smoke]      write a generated database through the real migrations
//   report <db> [baselineRows]          violations report of the whole database vs ClosedXML cell by cell
//   all <db> [baselineRows]             generate (if the file is missing) then every benchmark
public static class Benchmarks
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.ElementAtOrDefault(0) ?? "all";
        var database = Path.GetFullPath(args.ElementAtOrDefault(1) ?? Path.Combine(Path.GetTempPath(), "fleet-province.db"));
        var inv = CultureInfo.InvariantCulture;

        switch (command)
        {
            case "generate":
                await Generate(Scale.Parse(args.ElementAtOrDefault(2) ?? "province"));
                break;
            case "baseline-closedxml":
                await ReportBenchmark.BaselineChildAsync(database, int.Parse(args[2], inv));
                break;
            case "report":
                await Report(int.Parse(args.ElementAtOrDefault(2) ?? "100000", inv));
                break;
            case "all":
                if (!File.Exists(database)) await Generate(Scale.Province);
                await Report(int.Parse(args.ElementAtOrDefault(2) ?? "100000", inv));
                break;
            default:
                Console.Error.WriteLine("usage: Fleet.Benchmarks generate|report|all <db> ...");
                return 2;
        }
        return 0;

        async Task Generate(Scale scale)
        {
            Console.WriteLine($"Generating {scale} into {database}");
            var clock = Stopwatch.StartNew();
            await Generator.GenerateAsync(database, scale, Console.Out);
            Console.WriteLine($"Generated in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(database).Length / 1024.0 / 1024:F0} MB)");
        }

        async Task Report(int baselineRows)
        {
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            var fleet = await ReportBenchmark.FleetAsync(database);
            Console.WriteLine($"Fleet violations report: {fleet.Rows:N0} violations in {fleet.Seconds:F1} s, server peak {fleet.PeakMb:F0} MB, {fleet.Bytes / 1024.0 / 1024:F1} MB file");
            var baseline = await ReportBenchmark.BaselineAsync(database, baselineRows);
            Console.WriteLine($"Baseline ClosedXML cell by cell: {baseline.Rows:N0} rows in {baseline.Seconds:F1} s, peak {baseline.PeakMb:F0} MB");
            var fleetRate = fleet.Rows / fleet.Seconds;
            var baselineRate = baseline.Rows / baseline.Seconds;
            Console.WriteLine();
            Console.WriteLine("| benchmark | Fleet | baseline | ratio | peak memory | target |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Measure.Row("violations report", $"{fleet.Rows:N0} rows, {fleet.Seconds:F1} s ({fleetRate:N0} rows/s)",
                $"ClosedXML cell by cell, {baseline.Rows:N0} rows, {baseline.Seconds:F1} s ({baselineRate:N0} rows/s)",
                $"{fleetRate / baselineRate:F1}x faster per row", $"server {fleet.PeakMb:F0} MB (baseline {baseline.PeakMb:F0} MB for {baseline.Rows:N0} rows)",
                "≥ 10x, < 300 MB"));
        }
    }
}
