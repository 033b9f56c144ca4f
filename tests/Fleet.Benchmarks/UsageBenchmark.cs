using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Fleet.Api.Features.Usage;
using Fleet.Data.Entities;
using Microsoft.Data.Sqlite;

namespace Fleet.Benchmarks;

/// <summary>
/// A province's month of GPS trips (10 million by default) against its seal-up: generated as CSV files for the
/// province's million vehicles around the National Day holiday (most cars sealed, a thousand of them driven while
/// sealed), imported through the real server (each import also runs the cross-check for its days), against the fastest
/// way to do the same work on a copy in the same run: a plain connection inserting the same rows with the same keys
/// through one prepared statement (one row: SQLite binds parameters by name, so wider statements were slower), then the
/// cross-check's join as one query.
/// </summary>
public static class UsageBenchmark
{
    public sealed record Result(long Rows, int Files, long Bytes, double Seconds, double PeakMb, double IdleMb, int Violations,
        double AnchorSeconds, double AnchorCheckSeconds, int AnchorMatches);

    private static readonly DateTime SealedAt = new(2026, 9, 30, 2, 0, 0, DateTimeKind.Utc);   // 10:00 local, the deadline
    private static readonly DateTime ReleaseAt = new(2026, 10, 8, 0, 0, 0, DateTimeKind.Utc);  // 08:00 local on the 8th
    private const int DrivenWhileSealed = 1_000;

    public static async Task<Result> RunAsync(string database, long rows, int files)
    {
        var fleetCopy = ReconcileBenchmark.Copy(database, "usage");
        string? anchorCopy = null;
        var folder = Directory.CreateTempSubdirectory("fleet-usage-").FullName;
        try
        {
            // The copy migrated by the server itself, then the holiday set up: the schedule moved to National Day 2026,
            // every order sealed at the deadline.
            await using (var _ = await Server.StartAsync(fleetCopy, 5097)) { }
            SealEverything(fleetCopy);
            anchorCopy = ReconcileBenchmark.Copy(fleetCopy, "usage-anchor");
            var plates = Plates(fleetCopy);
            var paths = Write(folder, plates, rows, files);
            long bytes = paths.Sum(p => new FileInfo(p).Length);
            Console.WriteLine($"  {rows:N0} trips of {plates.Count:N0} cars in {files} files, {bytes / 1e6:F0} MB");

            int violations;
            double seconds, peak, idle;
            var gc = Environment.GetEnvironmentVariable("FLEET_BENCH_SERVER_GC");
            await using (var server = await Server.StartAsync(fleetCopy, 5097, gc is null ? null : new Dictionary<string, string> { ["DOTNET_gcServer"] = gc }))
            {
                idle = Measure.PeakMb(server.Pid);
                var watch = Stopwatch.StartNew();
                violations = 0;
                foreach (var path in paths)
                {
                    await using var stream = File.OpenRead(path);
                    var file = new StreamContent(stream);
                    file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                    var response = await server.Http.PostAsync("/api/usage/import?kind=Trip", new MultipartFormDataContent { { file, "file", Path.GetFileName(path) } });
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import {path}: {(int)response.StatusCode} {body[..Math.Min(2000, body.Length)]}");
                    var result = System.Text.Json.Nodes.JsonNode.Parse(body)!;
                    violations += (int)result["violationsOpened"]!;
                    Console.WriteLine($"    {Path.GetFileName(path)}: {(int)result["imported"]!:N0} imported, {(int)result["violationsOpened"]!} violations, {watch.Elapsed.TotalSeconds:F0} s, server peak {Measure.PeakMb(server.Pid):F0} MB");
                }
                seconds = watch.Elapsed.TotalSeconds;
                peak = Measure.PeakMb(server.Pid);
            }

            var anchor = Stopwatch.StartNew();
            Anchor(anchorCopy, paths);
            var anchorSeconds = anchor.Elapsed.TotalSeconds;
            var check = Stopwatch.StartNew();
            var matches = AnchorCheck(anchorCopy);
            return new Result(rows, files, bytes, seconds, peak, idle, violations, anchorSeconds, check.Elapsed.TotalSeconds, matches);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            ReconcileBenchmark.Delete(fleetCopy);
            if (anchorCopy is not null) ReconcileBenchmark.Delete(anchorCopy);
        }
    }

    /// <summary>A migrated, sealed copy kept at <paramref name="target"/>, for profiling by hand.</summary>
    public static async Task PrepareAsync(string database, string target)
    {
        File.Copy(database, target, overwrite: true);
        await using (var _ = await Server.StartAsync(target, 5097)) { }
        SealEverything(target);
    }

    /// <summary>The month's files for a prepared copy, written to <paramref name="folder"/> and kept, for profiling by hand.</summary>
    public static List<string> WriteFiles(string database, string folder, long rows, int files)
    {
        Directory.CreateDirectory(folder);
        return Write(folder, Plates(database), rows, files);
    }

    /// <summary>The anchor alone over given files, printing its phases.</summary>
    public static void AnchorOnly(string database, string[] paths)
    {
        var watch = Stopwatch.StartNew();
        Anchor(database, [.. paths], phase => Console.WriteLine($"  {phase}: {watch.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine($"  check: {AnchorCheck(database)} in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static void SealEverything(string database)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = $"""
            PRAGMA cache_size=-1048576;
            BEGIN;
            UPDATE SealUpSchedules SET SealDeadline = '{SealedAt:yyyy-MM-dd HH:mm:ss}', ReleaseAt = '{ReleaseAt:yyyy-MM-dd HH:mm:ss}', PublishedAt = '2026-09-01 00:00:00';
            UPDATE SealOrders SET Status = 'Released', SealedAt = '{SealedAt.AddHours(-1):yyyy-MM-dd HH:mm:ss}', SealNumber = 'FC-' || rowid,
                SealedBy = 'bench', ParkingPlace = '机关大院', ReleasedAt = '{ReleaseAt:yyyy-MM-dd HH:mm:ss}';
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """;
        command.ExecuteNonQuery();
    }

    private static List<string> Plates(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT PlateNumber FROM Vehicles ORDER BY PlateNumber";
        using var reader = command.ExecuteReader();
        var plates = new List<string>();
        while (reader.Read()) plates.Add(reader.GetString(0));
        return plates;
    }

    private static readonly string[] Places = ["机关大院", "城东水库", "人民医院", "高铁站", "区政府", "开发区管委会", "第一中学", "市民中心", "滨江路口", "工业园"];

    /// <summary>
    /// October 2026, local time (UTC+8): each file a run of days, its trips in time order. A sealed car is not driven
    /// from its seal to its release, except the first <see cref="DrivenWhileSealed"/> cars, once each, on the 3rd.
    /// </summary>
    private static List<string> Write(string folder, List<string> plates, long rows, int files)
    {
        var paths = new List<string>();
        var random = new Random(7);
        var perFile = rows / files;
        var month = new DateTime(2026, 10, 1);
        var sealedFrom = SealedAt.AddHours(8) - month;   // local
        var sealedUntil = ReleaseAt.AddHours(8) - month;
        var span = TimeSpan.FromDays(31);
        long written = 0;
        for (var f = 0; f < files; f++)
        {
            var path = Path.Combine(folder, $"gps-2026-10-part{f + 1:00}.csv");
            paths.Add(path);
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            writer.Write("车牌号,开始时间,起点,结束时间,终点,里程\n");
            var from = span * f / files;
            var to = span * (f + 1) / files;
            var count = f == files - 1 ? rows - written : perFile;
            var step = (to - from) / count;
            for (long i = 0; i < count; i++, written++)
            {
                var offset = from + step * i;
                var car = (int)(written * 7919 % plates.Count);
                if (offset >= sealedFrom && offset < sealedUntil)
                {
                    // Inside the holiday: a car driven while sealed only if it is one of the few, else an unsealed hour after it.
                    if (car >= DrivenWhileSealed || offset.Days != 2) offset = sealedUntil + TimeSpan.FromMinutes(written % (60 * 24 * 20));
                }
                var start = month + offset;
                var minutes = 5 + random.Next(90);
                writer.Write(plates[car]);
                writer.Write(',');
                writer.Write(start.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(Places[random.Next(Places.Length)]);
                writer.Write(',');
                writer.Write(start.AddMinutes(minutes).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(Places[random.Next(Places.Length)]);
                writer.Write(',');
                writer.Write((minutes * 0.6).ToString("0.0", CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }
        return paths;
    }

    /// <summary>The same rows with the same keys and storage forms, 500 to a prepared statement, one transaction per file, no checks.</summary>
    private static void Anchor(string database, List<string> paths, Action<string>? phase = null)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-1048576;";
            pragma.ExecuteNonQuery();
        }
        var vehicles = new Dictionary<string, (string Id, string Unit)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT PlateNumber, Id, UnitId FROM Vehicles";
            using var reader = read.ExecuteReader();
            while (reader.Read()) vehicles[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }
        phase?.Invoke("vehicles read");
        var batch = int.Parse(Environment.GetEnvironmentVariable("FLEET_BENCH_ANCHOR_BATCH") ?? "1", CultureInfo.InvariantCulture);
        string[] columns = ["Id", "Kind", "VehicleId", "PlateNumber", "UnitId", "StartedAt", "EndedAt", "Place", "EndPlace", "Quantity", "Amount", "NaturalKey", "ImportId", "ImportedAt", "ImportedBy"];
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        foreach (var path in paths)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var tuples = new List<string>();
            var parameters = new SqliteParameter[batch * columns.Length];
            for (var r = 0; r < batch; r++)
            {
                tuples.Add("(" + string.Join(", ", columns.Select((_, c) => $"@p{r * columns.Length + c}")) + ")");
                for (var c = 0; c < columns.Length; c++) insert.Parameters.Add(parameters[r * columns.Length + c] = new SqliteParameter($"@p{r * columns.Length + c}", DBNull.Value));
            }
            insert.CommandText = $"INSERT INTO UsageRecords ({string.Join(", ", columns)}) VALUES {string.Join(", ", tuples)} ON CONFLICT (NaturalKey) DO NOTHING";
            insert.Prepare();
            var import = Guid.CreateVersion7().ToString().ToUpperInvariant();
            var filled = 0;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var f = line.Split(',');
                var start = DateTime.ParseExact(f[1], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture).AddHours(-8);
                var end = DateTime.ParseExact(f[3], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture).AddHours(-8);
                var distance = decimal.Parse(f[5], CultureInfo.InvariantCulture);
                var (vehicle, unit) = vehicles[f[0]];
                var key = UsageSheet.NaturalKey(UsageKind.Trip, new UsageRow(0, f[0], start, end, f[2], f[4], distance, null));
                object[] values = [Guid.CreateVersion7().ToString().ToUpperInvariant(), "Trip", vehicle, f[0], unit, start.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    end.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), f[2], f[4], distance.ToString(CultureInfo.InvariantCulture), DBNull.Value, key, import, now, "anchor"];
                for (var c = 0; c < columns.Length; c++) parameters[filled * columns.Length + c].Value = values[c];
                if (++filled == batch)
                {
                    insert.ExecuteNonQuery();
                    filled = 0;
                }
            }
            for (var r = filled; r < batch; r++)
                for (var c = 0; c < columns.Length; c++) parameters[r * columns.Length + c].Value = c == 11 ? "~" + Guid.NewGuid() : parameters[c].Value;
            // The last partial batch: its unused tuples repeat the first row under keys of their own, then are removed.
            if (filled > 0)
            {
                insert.ExecuteNonQuery();
                using var tidy = connection.CreateCommand();
                tidy.Transaction = transaction;
                tidy.CommandText = "DELETE FROM UsageRecords WHERE NaturalKey LIKE '~%'";
                tidy.ExecuteNonQuery();
            }
            transaction.Commit();
            phase?.Invoke(Path.GetFileName(path));
        }
    }

    /// <summary>The cross-check's join as one query: the records inside a sealed window, from the schedule's days to each record's order.</summary>
    private static int AnchorCheck(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = """
            SELECT COUNT(*) FROM SealUpSchedules s CROSS JOIN UsageRecords u CROSS JOIN SealOrders o
            WHERE u.StartedAt >= s.PublishedAt AND u.StartedAt < s.ReleaseAt
              AND o.ScheduleId = s.Id AND o.VehicleId = u.VehicleId AND o.SealedAt IS NOT NULL AND u.StartedAt >= o.SealedAt
              AND u.StartedAt < CASE WHEN o.ReleasedEarly THEN o.ReleasedAt ELSE s.ReleaseAt END
            """;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
