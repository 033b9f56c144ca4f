using System.Diagnostics;
using System.Globalization;

namespace Fleet.Benchmarks;

// Fleet's performance figures; run by hand with tests/Fleet.Benchmarks/run.sh (CI runs only a smoke-scale generation test).
//   generate <db> [province|smoke]   write a generated database through the real migrations
//   report | reconcile | rates | http | import <db>   one benchmark, printing its table row(s)
//   pages <db>                       the workspace's pages on the province, beside the API reading the same rows
//   readers                          the import's workbook readers against each other (no database)
//   all <db>                         generate if the file is missing, then every benchmark, each in a process of its own
public static class Benchmarks
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var command = args.ElementAtOrDefault(0) ?? "all";
        var database = Path.GetFullPath(args.ElementAtOrDefault(1) ?? Path.Combine(Path.GetTempPath(), "fleet-province.db"));
        switch (command)
        {
            case "generate":
                await Generate(database, Scale.Parse(args.ElementAtOrDefault(2) ?? "province"));
                return 0;
            case "baseline-closedxml":
                await ReportBenchmark.BaselineChildAsync(database, int.Parse(args[2], Inv));
                return 0;
            case "report":
                var fleet = await ReportBenchmark.FleetAsync(database);
                var baseline = await ReportBenchmark.BaselineAsync(database, 100_000);
                double fleetRate = fleet.Rows / fleet.Seconds, baselineRate = baseline.Rows / baseline.Seconds;
                Row("violations report (1 sheet of 1M rows + summary + actions)", $"{fleet.Rows:N0} rows in {fleet.Seconds:F1} s ({fleetRate:N0} rows/s)",
                    $"ClosedXML cell by cell: {baseline.Rows:N0} rows in {baseline.Seconds:F1} s ({baselineRate:N0} rows/s), peak {baseline.PeakMb:F0} MB",
                    $"{fleetRate / baselineRate:F1}× faster", $"{fleet.PeakMb:F0} MB (server)", "≥ 10×, < 300 MB");
                return 0;
            case "reconcile":
                var naive = await ReconcileBenchmark.NaiveAsync(database, 20_000);
                var job = await ReconcileBenchmark.FleetAsync(database);
                double jobRate = job.Rows / job.Seconds, naiveRate = naive.Rows / naive.Seconds;
                Row("sealup-reconcile at the deadline", $"{job.Rows:N0} pending → overdue + violation + audit in {job.Seconds:F1} s ({jobRate:N0}/s)",
                    $"tracked entities, batches of 1,000: {naive.Rows:N0} in {naive.Seconds:F1} s ({naiveRate:N0}/s)",
                    $"{jobRate / naiveRate:F1}× faster", $"{job.PeakMb:F0} MB (process)", "≥ 20×, < 60 s");
                return 0;
            case "rates":
                foreach (var r in await RatesBenchmark.RunAsync(database))
                    Row($"{r.What} ({r.Units:N0} units)", $"{r.Seconds:F2} s (median of 5, HTTP)", $"load all rows and group in memory: {r.BaselineSeconds:F2} s",
                        $"{r.BaselineSeconds / r.Seconds:F1}× faster", $"{r.PeakMb:F0} MB (server)", "< 2 s");
                return 0;
            case "http":
                foreach (var r in await ThroughputBenchmark.RunAsync(database, int.Parse(args.ElementAtOrDefault(2) ?? "10", Inv)))
                    Row($"{r.What}, 32 connections", $"{r.Rate:N0} req/s (median of {ThroughputBenchmark.Rounds}), {r.Errors} errors",
                        $"bare authenticated endpoint, same rounds: {r.BareRate:N0} req/s (median)",
                        $"{100 * r.Rate / r.BareRate:F0} % of bare (rounds: {string.Join(", ", r.RoundRatios.Select(x => $"{100 * x:F0} %"))})", $"{r.PeakMb:F0} MB (server)", r.What.StartsWith("GET", StringComparison.Ordinal) ? "≥ 40 %, no errors" : "≥ 10 %, no errors");
                return 0;
            case "import":
                var import = await ImportBenchmark.RunAsync(database, 100_000, 1_000);
                double importRate = import.Rows / import.Seconds, postRate = import.BaselineRows / import.BaselineSeconds;
                Row("vehicle import (.xlsx)", $"{import.Rows:N0} rows in {import.Seconds:F1} s ({importRate:N0} rows/s)",
                    $"POST /api/vehicles one by one: {import.BaselineRows:N0} in {import.BaselineSeconds:F1} s ({postRate:N0}/s)",
                    $"{importRate / postRate:F1}× faster", $"{import.PeakMb:F0} MB (server)", "< 60 s, < 300 MB");
                Row("vehicle import, dry run (.xlsx)", $"{import.Rows:N0} rows checked in {import.DrySeconds:F1} s", "", "", $"{import.DryPeakMb:F0} MB (server)", "");
                Row($"hostile workbook ({import.HostileBytes:N0} bytes, one cell at A1048576)", $"refused (400) in {import.HostileSeconds:F2} s", "", "",
                    $"{import.HostileBeforeMb:F0} → {import.HostileAfterMb:F0} MB (server peak)", "< 5 s, < 100 MB more");
                return 0;
            case "pages":
                foreach (var r in await PagesBenchmark.RunAsync(database))
                    Row($"page `{r.Page}` (admin, whole province)", $"{r.Milliseconds:F0} ms (median of 7), {r.Bytes / 1024.0:F0} KB",
                        r.Api is null ? "" : $"`GET {r.Api}` (same rows as JSON): {r.ApiMilliseconds:F0} ms", r.Api is null ? "" : $"{r.Milliseconds / r.ApiMilliseconds:F1}×", "", "< 300 ms");
                return 0;
            case "reader-child":
                ReaderBenchmark.Child(args[1], args[2]);
                return 0;
            case "readers":
                // Not a database benchmark: the argument is ignored.
                foreach (var r in (await ReaderBenchmark.RunAsync(100_000)).OrderBy(r => r.Workbook).ThenBy(r => r.Seconds))
                    Console.WriteLine($"| {r.Reader} | {r.Workbook} | {r.Cells:N0} cells in {r.Seconds:F2} s | {r.AllocatedMb:N0} MB allocated | peak {r.PeakMb:F0} MB |");
                return 0;
            case "all":
                if (!File.Exists(database)) await Generate(database, Scale.Province);
                Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
                var rows = new List<string>();
                foreach (var benchmark in new[] { "report", "reconcile", "rates", "http", "import" })
                {
                    Console.WriteLine($"== {benchmark}");
                    var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Fleet.Benchmarks.dll"), benchmark, database]) { RedirectStandardOutput = true };
                    using var child = Process.Start(info)!;
                    while (await child.StandardOutput.ReadLineAsync() is { } line)
                    {
                        Console.WriteLine(line);
                        if (line.StartsWith("| ", StringComparison.Ordinal)) rows.Add(line);
                    }
                    await child.WaitForExitAsync();
                }
                Console.WriteLine();
                Console.WriteLine("| benchmark | Fleet | baseline (same run) | ratio | peak memory | target |");
                Console.WriteLine("|---|---|---|---|---|---|");
                rows.ForEach(Console.WriteLine);
                return 0;
            default:
                Console.Error.WriteLine("usage: Fleet.Benchmarks generate|report|reconcile|rates|http|import|all <db>");
                return 2;
        }
    }

    private static void Row(string what, string figure, string baseline, string ratio, string memory, string target) =>
        Console.WriteLine($"| {what} | {figure} | {baseline} | {ratio} | {memory} | {target} |");

    private static async Task Generate(string database, Scale scale)
    {
        Console.WriteLine($"Generating {scale} into {database}");
        var clock = Stopwatch.StartNew();
        await Generator.GenerateAsync(database, scale, Console.Out);
        Console.WriteLine($"Generated in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(database).Length / 1024.0 / 1024:F0} MB)");
    }
}
