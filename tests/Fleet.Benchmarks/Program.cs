using System.Diagnostics;
using System.Globalization;

namespace Fleet.Benchmarks;

// Fleet's performance figures; run by hand with tests/Fleet.Benchmarks/run.sh (CI runs only a smoke-scale generation test).
//   generate <db> [province|smoke]   write a generated database through the real migrations
//   report | reconcile | rates | http | import <db>   one benchmark against its anchor, interleaved rounds, printing its table row(s)
//   log                              the request line's CPU cost, standard console logger against Fleet's (stdout: a pipe)
//   usage <db> [rows] [files]        a month of GPS trips (10M in 10 CSV files) imported and checked against the seals
//   pages <db>                       the workspace's pages on the province, beside the API reading the same rows
//   readers                          the import's workbook readers against each other (no database)
//   all <db>                         generate if the file is missing, then every benchmark, each in a process of its own
public static class Benchmarks
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var command = args.ElementAtOrDefault(0) ?? "all";
        // A SQLite file, or a PostgreSQL connection string ("Host=...": the province copied there by pg-copy).
        var given = args.ElementAtOrDefault(1) ?? Path.Combine(Path.GetTempPath(), "fleet-province.db");
        var database = PgCopy.IsPostgres(given) ? given : Path.GetFullPath(given);
        switch (command)
        {
            case "pieces":
                await PiecesBenchmark.RunAsync(database, int.Parse(args.ElementAtOrDefault(2) ?? "8", Inv));
                return 0;
            case "pg-copy":
                await PgCopy.RunAsync(database, args[2]);
                return 0;
            case "generate":
                await Generate(database, Scale.Parse(args.ElementAtOrDefault(2) ?? "province"));
                return 0;
            case "baseline-closedxml":
                await ReportBenchmark.BaselineChildAsync(database, int.Parse(args[2], Inv));
                return 0;
            case "report":
                await ReportRowsAsync(database);
                return 0;
            case "anchor-report-child":
                await ReportAnchor.ChildAsync(database, args.ElementAtOrDefault(2) ?? "", args.ElementAtOrDefault(3) ?? "");
                return 0;
            case "anchor-import-child":
                ImportAnchor.Child(database, args[2]);
                return 0;
            case "raw-server":
                await RawServer.RunAsync(database, int.Parse(args[2], Inv), args[3]);
                return 0;
            case "reconcile":
                // The province, and a tenth of it (generated beside it on first use): how the job's time grows; and the
                // job against its own statements on a plain connection, in interleaved rounds.
                var city = Path.Combine(Path.GetDirectoryName(database)!, Path.GetFileNameWithoutExtension(database) + "-city.db");
                if (!File.Exists(city)) await Generate(city, Scale.City);
                var script = await ReconcileBenchmark.CaptureAsync(city);
                foreach (var db in new[] { city, database })
                {
                    var naive = await ReconcileBenchmark.NaiveAsync(db, 20_000);
                    var jobs = new List<ReportBenchmark.Figure>();
                    var own = new List<double>();
                    for (var round = 0; round < Measure.Rounds; round++)
                    {
                        jobs.Add(await ReconcileBenchmark.FleetAsync(db));
                        own.Add(await ReconcileBenchmark.OwnSqlAsync(db, script));
                        Console.WriteLine($"  round {round + 1} ({jobs[^1].Rows:N0} orders): job {jobs[^1].Seconds:F1} s, its own SQL {own[^1]:F1} s");
                    }
                    var job = jobs[0] with { Seconds = Measure.Median(jobs.Select(j => j.Seconds)), PeakMb = jobs.Max(j => j.PeakMb) };
                    double jobRate = job.Rows / job.Seconds, naiveRate = naive.Rows / naive.Seconds;
                    Row($"`sealup-reconcile` at the deadline, {job.Rows:N0} orders", $"overdue + violation + audit entries: {Measure.Spread(jobs.Select(j => j.Seconds), "F1", " s")}",
                        $"its own statements on a plain connection: {Measure.Spread(own, "F1", " s")}; tracked entities, batches of 1,000: {naive.Rows:N0} in {naive.Seconds:F1} s",
                        $"{job.Seconds / Measure.Median(own):F2}× its own SQL; {jobRate / naiveRate:F1}× faster than tracked", $"{job.PeakMb:F0} MB (process)", "≤ 1.2× own SQL");
                }
                return 0;
            case "rates":
                foreach (var r in await RatesBenchmark.RunAsync(database))
                    Row($"{r.What} ({r.Units:N0} units)", $"{r.Seconds:F2} s (median of 5, HTTP)", $"load all rows and group in memory: {r.BaselineSeconds:F2} s",
                        $"{r.BaselineSeconds / r.Seconds:F1}× faster", $"{r.PeakMb:F0} MB (server)", "< 2 s");
                return 0;
            case "http":
                foreach (var r in await ThroughputBenchmark.RunAsync(database, int.Parse(args.ElementAtOrDefault(2) ?? "10", Inv), args.ElementAtOrDefault(3) ?? "Information"))
                {
                    Row($"`{r.What}`, 32 connections (wrk), default logging", $"{r.Rate:N0} req/s, {r.CpuMsPerRequest:F3} ms CPU/request, {r.Errors} errors",
                        $"raw endpoint: {r.RawRate:N0} req/s, {r.RawCpuMsPerRequest:F3} ms CPU/request",
                        $"{100 * r.Rate / r.RawRate:F0} % of raw (rounds: {string.Join(", ", r.RoundRatios.Select(x => $"{100 * x:F0} %"))})",
                        $"{r.PeakMb:F0} MB (server), raw {r.RawPeakMb:F0} MB", PgCopy.IsPostgres(database) ? "≥ 70 % of the Npgsql anchor" : r.What.StartsWith("GET", StringComparison.Ordinal) ? "≥ 80 % of raw" : "≥ 85 % of the grouped anchor");
                    Console.WriteLine($"  (older yardstick: Fleet's bare authenticated endpoint {r.BareRate:N0} req/s)");
                }
                return 0;
            case "import":
                await ImportRowsAsync(database);
                return 0;
            case "usage-prepare":
                await UsageBenchmark.PrepareAsync(database, args[2]);
                return 0;
            case "usage-write":
                foreach (var path in UsageBenchmark.WriteFiles(database, args[2], long.Parse(args[3], Inv), int.Parse(args[4], Inv))) Console.WriteLine(path);
                return 0;
            case "usage-read":
                {
                    // The reading and checking of one usage CSV alone (no database): both passes of an import read it so.
                    // The database argument is ignored.
                    var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
                    for (var round = 0; round < 3; round++)
                    {
                        await using var stream = File.OpenRead(args[2]);
                        var reader = new Fleet.Api.Features.Usage.UsageSheet.Reader(stream, Fleet.Data.Entities.UsageKind.Trip, new Fleet.Api.Features.Usage.UsageLimits(),
                            t => TimeZoneInfo.ConvertTimeToUtc(t, zone), DateTime.UtcNow);
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        var allocated = GC.GetTotalAllocatedBytes();
                        long read = 0, keys = 0;
                        foreach (var (row, _) in reader.Rows())
                        {
                            read++;
                            if (args.Length > 3 && row is not null) keys += Fleet.Api.Features.Usage.UsageSheet.NaturalKey(Fleet.Data.Entities.UsageKind.Trip, row).Length;
                        }
                        Console.WriteLine($"{read:N0} rows in {watch.Elapsed.TotalSeconds:F2} s ({watch.Elapsed.TotalMicroseconds / read:F2} µs a row), {(GC.GetTotalAllocatedBytes() - allocated) / read} bytes allocated a row{(keys > 0 ? ", with keys" : "")}");
                    }
                    return 0;
                }
            case "usage-anchor":
                UsageBenchmark.AnchorOnly(database, args[2..]);
                return 0;
            case "usage":
                {
                    var trips = long.Parse(args.ElementAtOrDefault(2) ?? "10000000", Inv);
                    var files = int.Parse(args.ElementAtOrDefault(3) ?? "10", Inv);
                    var u = await UsageBenchmark.RunAsync(database, trips, files);
                    Row($"usage import + cross-check, a month of trips: {u.Rows:N0} rows in {u.Files} CSV files ({u.Bytes / 1e6:F0} MB), 1M cars sealed",
                        $"{u.Seconds:F0} s ({u.Rows / u.Seconds:N0} rows/s), {u.Violations:N0} UsedWhileSealed opened",
                        $"plain connection, same rows and keys, one prepared insert: {u.AnchorSeconds:F0} s; the check's join as one query: {u.AnchorCheckSeconds:F1} s ({u.AnchorMatches:N0} records)",
                        $"{u.Seconds / (u.AnchorSeconds + u.AnchorCheckSeconds):F2}× the plain work", $"{u.PeakMb:F0} MB (server peak; {u.IdleMb:F0} MB idle)", "< 10 min, bounded memory");
                    return 0;
                }
            case "pages":
                foreach (var r in await PagesBenchmark.RunAsync(database))
                    Row($"page `{r.Page}` (admin, whole province)", $"{r.Milliseconds:F0} ms (median of 7), {r.Bytes / 1024.0:F0} KB",
                        r.Api is null ? "" : $"`GET {r.Api}` (same rows as JSON): {r.ApiMilliseconds:F0} ms", r.Api is null ? "" : $"{r.Milliseconds / r.ApiMilliseconds:F1}×", "", "< 300 ms");
                return 0;
            case "log":
                LogBenchmark.Run();
                return 0;
            case "levels":
                foreach (var r in await LevelsBenchmark.RunAsync(database))
                    Row(r.What, $"{r.Milliseconds:F0} ms", r.Detail, "", "", r.Target);
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
                foreach (var benchmark in new[] { "report", "reconcile", "rates", "http", "import", "log", "levels" })
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
                Console.WriteLine("| benchmark | Fleet | anchor or baseline (same run) | ratio | peak memory | target |");
                Console.WriteLine("|---|---|---|---|---|---|");
                rows.ForEach(Console.WriteLine);
                return 0;
            default:
                Console.Error.WriteLine("usage: Fleet.Benchmarks generate|report|reconcile|rates|http|import|log|pages|readers|all <db>");
                return 2;
        }
    }

    /// <summary>
    /// The violations report of the whole province (1M rows) and of January (about 100k rows), each against its anchors,
    /// in interleaved rounds: Fleet through HTTP, then the plain read and SpreadCheetah in a process of their own.
    /// </summary>
    private static async Task ReportRowsAsync(string database)
    {
        var rounds = Measure.Rounds;
        foreach (var (label, query, from, to) in new[]
        {
            ("1M rows", "", (string?)null, (string?)null),
            ("January, ~100k rows", "?from=2026-01-01T00:00:00Z&to=2026-02-03T00:00:00Z", "2026-01-01 00:00:00", "2026-02-03 00:00:00"),
        })
        {
            var fleet = new List<ReportBenchmark.Figure>();
            var anchor = new List<ReportAnchor.Figure>();
            // On PostgreSQL, Fleet only: its figures stand beside the same report on SQLite and SQLite's anchors.
            if (PgCopy.IsPostgres(database))
            {
                for (var round = 0; round < rounds; round++)
                {
                    fleet.Add(await ReportBenchmark.FleetAsync(database, query));
                    Console.WriteLine($"  round {round + 1} ({label}, PostgreSQL): Fleet {fleet[^1].Seconds:F2} s cold, {fleet[^1].WarmSeconds:F2} s warm, {fleet[^1].PrivatePeakMb:F0} MB private ({fleet[^1].PeakMb:F0} MB resident), {fleet[^1].Bytes / 1e6:F1} MB file");
                }
                Row($"violations report on PostgreSQL, {label}", $"cold {Measure.Spread(fleet.Select(f => f.Seconds), "F2", " s")}, warm {Measure.Spread(fleet.Select(f => f.WarmSeconds), "F2", " s")}",
                    "", "", $"{Measure.Spread(fleet.Select(f => f.PrivatePeakMb), "F0", " MB")} private, {Measure.Median(fleet.Select(f => f.PeakMb)):F0} MB resident", "");
                continue;
            }
            for (var round = 0; round < rounds; round++)
            {
                fleet.Add(await ReportBenchmark.FleetAsync(database, query));
                anchor.Add(await ReportAnchor.RunAsync(database, from, to));
                Console.WriteLine($"  round {round + 1} ({label}): Fleet {fleet[^1].Seconds:F2} s cold, {fleet[^1].WarmSeconds:F2} s warm, {fleet[^1].PrivatePeakMb:F0} MB private ({fleet[^1].PeakMb:F0} MB resident), {fleet[^1].Bytes / 1e6:F1} MB file; " +
                    $"read {anchor[^1].ReadSeconds:F2} s (engine {anchor[^1].EngineSeconds:F2} s), SpreadCheetah {anchor[^1].WriteSeconds:F2} s, +{anchor[^1].WritePeakMb:F0} MB, {anchor[^1].Bytes / 1e6:F1} MB file");
            }
            double time = Measure.Median(fleet.Select(f => f.Seconds)), warmTime = Measure.Median(fleet.Select(f => f.WarmSeconds)),
                cheetah = Measure.Median(anchor.Select(a => a.WriteSeconds)), engine = Measure.Median(anchor.Select(a => a.EngineSeconds));
            Row($"violations report, {label} ({anchor[0].Rows:N0} violations + actions + summaries)",
                $"cold {Measure.Spread(fleet.Select(f => f.Seconds), "F2", " s")}, warm {Measure.Spread(fleet.Select(f => f.WarmSeconds), "F2", " s")}, file {Measure.Median(fleet.Select(f => f.Bytes / 1e6)):F1} MB",
                $"SpreadCheetah from memory: {Measure.Spread(anchor.Select(a => a.WriteSeconds), "F2", " s")}, file {Measure.Median(anchor.Select(a => a.Bytes / 1e6)):F1} MB; the engine's plain read: {engine:F2} s (Microsoft.Data.Sqlite with strings: {Measure.Median(anchor.Select(a => a.ReadSeconds)):F2} s)",
                $"cold {time / cheetah:F2}×, warm {warmTime / cheetah:F2}× SpreadCheetah's time, {Measure.Median(fleet.Select(f => (double)f.Bytes)) / Measure.Median(anchor.Select(a => (double)a.Bytes)):F2}× its size; cold {time / (engine + cheetah):F2}×, warm {warmTime / (engine + cheetah):F2}× the engine's read plus SpreadCheetah's write",
                $"{Measure.Spread(fleet.Select(f => f.PrivatePeakMb), "F0", " MB")} private (server; resident {Measure.Median(fleet.Select(f => f.PeakMb)):F0} MB with the mapped database file); SpreadCheetah +{Measure.Median(anchor.Select(a => a.WritePeakMb)):F0} MB over its rows",
                "≤ 2.0× SpreadCheetah, ≤ 1.3× read + write, ≤ 1.3× size, ≤ 250 MB");
        }
    }

    /// <summary>
    /// The vehicle import of 10k and 100k rows against its anchor, interleaved rounds, each on a fresh copy; then, once,
    /// the older figures (the hostile workbook, the dry run, one POST per vehicle).
    /// </summary>
    private static async Task ImportRowsAsync(string database)
    {
        var rounds = Measure.Rounds;
        foreach (var rows in new[] { 10_000, 100_000 })
        {
            var book = Path.Combine(Path.GetTempPath(), $"fleet-import-{rows}.xlsx");
            ImportBenchmark.WriteWorkbook(book, 0, rows);
            var fleet = new List<(double Seconds, double PeakMb)>();
            var anchor = new List<ImportAnchor.Figure>();
            // On PostgreSQL, Fleet only (the anchor is SQLite's): its figures stand beside SQLite's rows.
            if (PgCopy.IsPostgres(database))
            {
                for (var round = 0; round < rounds; round++)
                {
                    fleet.Add(await ImportBenchmark.FleetOnceAsync(database, book));
                    Console.WriteLine($"  round {round + 1} ({rows:N0} rows, PostgreSQL): Fleet {fleet[^1].Seconds:F2} s, {fleet[^1].PeakMb:F0} MB");
                }
                File.Delete(book);
                Row($"vehicle import on PostgreSQL, {rows:N0}-row .xlsx", Measure.Spread(fleet.Select(f => f.Seconds), "F2", " s"), "", "",
                    $"{Measure.Spread(fleet.Select(f => f.PeakMb), "F0", " MB")} (server)", "");
                continue;
            }
            for (var round = 0; round < rounds; round++)
            {
                fleet.Add(await ImportBenchmark.FleetOnceAsync(database, book));
                anchor.Add(await ImportBenchmark.AnchorOnceAsync(database, book));
                Console.WriteLine($"  round {round + 1} ({rows:N0} rows): Fleet {fleet[^1].Seconds:F2} s, {fleet[^1].PeakMb:F0} MB; anchor {anchor[^1].Seconds:F2} s, {anchor[^1].PeakMb:F0} MB, {anchor[^1].Violations} violations");
            }
            File.Delete(book);
            double time = Measure.Median(fleet.Select(f => f.Seconds)), raw = Measure.Median(anchor.Select(a => a.Seconds));
            Row($"vehicle import, {rows:N0}-row .xlsx", Measure.Spread(fleet.Select(f => f.Seconds), "F2", " s"),
                $"raw import (ExcelDataReader, same checks, prepared inserts, one transaction): {Measure.Spread(anchor.Select(a => a.Seconds), "F2", " s")}, peak {Measure.Median(anchor.Select(a => a.PeakMb)):F0} MB",
                $"{time / raw:F2}× the raw import", $"{Measure.Spread(fleet.Select(f => f.PeakMb), "F0", " MB")} (server)", "≤ 1.5× raw, < 15 s, ≤ 300 MB (100k)");
        }
        if (PgCopy.IsPostgres(database)) return;
        var import = await ImportBenchmark.RunAsync(database, 100_000, 1_000);
        double importRate = import.Rows / import.Seconds, postRate = import.BaselineRows / import.BaselineSeconds;
        Row("vehicle import (.xlsx), older baseline", $"{import.Rows:N0} rows in {import.Seconds:F1} s ({importRate:N0} rows/s)",
            $"POST /api/vehicles one by one: {import.BaselineRows:N0} in {import.BaselineSeconds:F1} s ({postRate:N0}/s)",
            $"{importRate / postRate:F1}× faster", $"{import.PeakMb:F0} MB (server)", "");
        Row("vehicle import, dry run (.xlsx)", $"{import.Rows:N0} rows checked in {import.DrySeconds:F1} s", "", "", $"{import.DryPeakMb:F0} MB (server)", "");
        Row($"hostile workbook ({import.HostileBytes:N0} bytes, one cell at A1048576)", $"refused (400) in {import.HostileSeconds:F2} s", "", "",
            $"{import.HostileBeforeMb:F0} → {import.HostileAfterMb:F0} MB (server peak)", "< 5 s, < 100 MB more");
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
