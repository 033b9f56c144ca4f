using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fleet.Api.Features;
using Fleet.Data.Entities;
using Microsoft.Data.Sqlite;
using SpreadCheetah;
using SpreadCheetah.Styling;

namespace Fleet.Benchmarks;

/// <summary>
/// The anchors for the violations report, in a process of their own: (1) reading the same rows with a plain
/// Microsoft.Data.Sqlite reader (the floor for any report over this database), and (2) SpreadCheetah 1.28.0 writing the
/// same sheets (detail rows, actions, the two summaries) with the same cell types from rows already in memory.
/// </summary>
public static class ReportAnchor
{
    /// <param name="WritePeakMb">The peak resident memory while writing, above what the rows in memory already took.</param>
    /// <param name="EngineSeconds">The engine's plain read (<see cref="EngineRead"/>): the fastest read of the rows from .NET.</param>
    public sealed record Figure(double ReadSeconds, double WriteSeconds, double WritePeakMb, long Rows, long Bytes, double EngineSeconds = 0);

    private readonly record struct Detail(DateTime Detected, string Type, string Plate, string Code, string Name, string Source, string Status,
        long Actions, string? Notes, DateTime? Closed, string? CloseReason);

    private readonly record struct Action(DateTime Recorded, string Person, string Position, string Kind, string? Note, string Type, string Plate,
        string Unit, DateTime Detected);

    /// <param name="from">With <paramref name="to"/>: only violations detected in [from, to), UTC "yyyy-MM-dd HH:mm:ss".</param>
    public static async Task<Figure> RunAsync(string database, string? from = null, string? to = null)
    {
        return await Measure.ChildAsync<Figure>("anchor-report-child", database, from ?? "", to ?? "");
    }

    /// <summary>
    /// The engine's own speed from .NET: the statement stepped through SQLitePCL's native calls, every column taken as the
    /// UTF-8 bytes SQLite holds (no .NET string, no conversion), the file read through a memory map. Nothing is kept.
    /// </summary>
    private static long EngineRead(SqliteConnection connection, string sql)
    {
        var db = connection.Handle!;
        SQLitePCL.raw.sqlite3_exec(db, "PRAGMA mmap_size=4294967296;");
        try
        {
            if (SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var stmt) != SQLitePCL.raw.SQLITE_OK) throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string());
            using (stmt)
            {
                long sum = 0;
                var columns = SQLitePCL.raw.sqlite3_column_count(stmt);
                while (SQLitePCL.raw.sqlite3_step(stmt) == SQLitePCL.raw.SQLITE_ROW)
                    for (var c = 0; c < columns; c++)
                        sum += SQLitePCL.raw.sqlite3_column_blob(stmt, c).Length;
                return sum;
            }
        }
        finally
        {
            SQLitePCL.raw.sqlite3_exec(db, "PRAGMA mmap_size=0;");
        }
    }

    public static async Task ChildAsync(string database, string from, string to)
    {
        var where = from.Length > 0 ? $"""WHERE "DetectedAt" >= '{from}' AND "DetectedAt" < '{to}'""" : "";
        var whereV = from.Length > 0 ? $"""WHERE v."DetectedAt" >= '{from}' AND v."DetectedAt" < '{to}'""" : "";
        // The fastest plain read: dates parsed by position (the stored form is "yyyy-MM-dd HH:mm:ss[.fffffff]"), the
        // offset of a zone without daylight saving added, enum names looked up once.
        var offset = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai").BaseUtcOffset;
        static int Digits(string s, int at, int n)
        {
            var v = 0;
            for (var i = at; i < at + n; i++) v = v * 10 + (s[i] - '0');
            return v;
        }
        DateTime Local(string t)
        {
            var value = new DateTime(Digits(t, 0, 4), Digits(t, 5, 2), Digits(t, 8, 2), Digits(t, 11, 2), Digits(t, 14, 2), Digits(t, 17, 2));
            if (t.Length > 20) value = value.AddTicks(Digits(t, 20, t.Length - 20) * (long)Math.Pow(10, 27 - t.Length));
            return value + offset;
        }
        var typeLabels = Enum.GetValues<ViolationType>().ToDictionary(v => v.ToString(), v => Labels.Of(v));
        var sourceLabels = Enum.GetValues<ViolationSource>().ToDictionary(v => v.ToString(), v => Labels.Of(v));
        var statusLabels = Enum.GetValues<ViolationStatus>().ToDictionary(v => v.ToString(), v => Labels.Of(v));
        var kindLabels = Enum.GetValues<PersonActionKind>().ToDictionary(v => v.ToString(), v => Labels.Of(v));
        var read = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        var units = new Dictionary<string, (string Code, string Name)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Id", "Code", "Name" FROM "Units" """;
            using var r = command.ExecuteReader();
            while (r.Read()) units[r.GetString(0)] = (r.GetString(1), r.GetString(2));
        }
        var actionCounts = new Dictionary<string, long>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "ViolationId", count(*) FROM "PersonActions" GROUP BY "ViolationId" """;
            using var r = command.ExecuteReader();
            while (r.Read()) actionCounts[r.GetString(0)] = r.GetInt64(1);
        }
        // The plain read, timed: every column of every detail row read and converted as the report needs it, nothing kept.
        var detailsSql = $$"""
            SELECT "Id", "DetectedAt", "Type", "PlateNumber", "UnitId", "Source", "Status", "Notes", "ClosedAt", "CloseReason"
            FROM "Violations" {{where}} ORDER BY "DetectedAt"
            """;
        void ReadDetails(Action<Detail> take)
        {
            using var command = connection.CreateCommand();
            command.CommandText = detailsSql;
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                var unit = units[r.GetString(4)];
                take(new Detail(Local(r.GetString(1)), typeLabels[r.GetString(2)], r.GetString(3), unit.Code, unit.Name,
                    sourceLabels[r.GetString(5)], statusLabels[r.GetString(6)],
                    actionCounts.GetValueOrDefault(r.GetString(0)), r.IsDBNull(7) ? null : r.GetString(7),
                    r.IsDBNull(8) ? null : Local(r.GetString(8)), r.IsDBNull(9) ? null : r.GetString(9)));
            }
        }
        var engine = Stopwatch.StartNew();
        var engineChecksum = EngineRead(connection, detailsSql);
        var engineSeconds = engine.Elapsed.TotalSeconds;
        if (engineChecksum == 0) Console.Error.WriteLine("no rows");
        long checksum = 0;
        ReadDetails(d => checksum += d.Detected.Ticks + d.Plate.Length);
        // The units and the action counts are read in both; the engine's read of the details is not part of this one.
        var readSeconds = read.Elapsed.TotalSeconds - engineSeconds;
        if (checksum == 0) Console.Error.WriteLine("no rows");

        // Then the rows again, kept in memory for the writers (not timed).
        var details = new List<Detail>(1_000_000);
        ReadDetails(details.Add);
        var actions = new List<Action>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $$"""
                SELECT a."RecordedAt", a."PersonName", a."Position", a."Action", a."Note", v."Type", v."PlateNumber", v."UnitId", v."DetectedAt"
                FROM "PersonActions" a JOIN "Violations" v ON v."Id" = a."ViolationId" {{whereV}} ORDER BY a."RecordedAt", a."Id"
                """;
            using var r = command.ExecuteReader();
            while (r.Read())
                actions.Add(new Action(Local(r.GetString(0)), r.GetString(1), r.GetString(2), kindLabels[r.GetString(3)],
                    r.IsDBNull(4) ? null : r.GetString(4), typeLabels[r.GetString(5)], r.GetString(6), units[r.GetString(7)].Name,
                    Local(r.GetString(8))));
        }

        GC.Collect();
        // Reset the process's peak resident set: the write's peak is measured from here, above the rows already in memory.
        File.WriteAllText($"/proc/{Environment.ProcessId}/clear_refs", "5");
        var holding = Measure.ResidentMb(Environment.ProcessId);
        var write = Stopwatch.StartNew();
        var file = Path.Combine(Path.GetTempPath(), $"fleet-anchor-{Guid.NewGuid():N}.xlsx");
        await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        await using (var book = await Spreadsheet.CreateNewAsync(stream))
        {
            var dateStyle = book.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd hh:mm") });
            var header = book.AddStyle(new Style { Font = { Bold = true } });
            var byUnit = new Dictionary<(string Code, string Type), long>();
            var byTypeStatus = new Dictionary<(string Type, string Status), long>();
            await book.StartWorksheetAsync("违规明细", new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = 1 });
            await book.AddHeaderRowAsync(["发现时间", "类型", "车牌", "单位代码", "单位名称", "来源", "状态", "处理人数", "备注", "办结时间", "办结说明"], header);
            var cells = new Cell[11];
            foreach (var d in details)
            {
                byUnit[(d.Code, d.Type)] = byUnit.GetValueOrDefault((d.Code, d.Type)) + 1;
                byTypeStatus[(d.Type, d.Status)] = byTypeStatus.GetValueOrDefault((d.Type, d.Status)) + 1;
                cells[0] = new Cell(d.Detected, dateStyle);
                cells[1] = new Cell(d.Type);
                cells[2] = new Cell(d.Plate);
                cells[3] = new Cell(d.Code);
                cells[4] = new Cell(d.Name);
                cells[5] = new Cell(d.Source);
                cells[6] = new Cell(d.Status);
                cells[7] = new Cell(d.Actions);
                cells[8] = new Cell(d.Notes);
                cells[9] = d.Closed is { } closed ? new Cell(closed, dateStyle) : new Cell((string?)null);
                cells[10] = new Cell(d.CloseReason);
                await book.AddRowAsync(cells);
            }
            await book.StartWorksheetAsync("问责处理", new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = 1 });
            await book.AddHeaderRowAsync(["处理时间", "姓名", "职务", "处理方式", "说明", "违规类型", "车牌", "单位名称", "发现时间"], header);
            var actionCells = new Cell[9];
            foreach (var a in actions)
            {
                actionCells[0] = new Cell(a.Recorded, dateStyle);
                actionCells[1] = new Cell(a.Person);
                actionCells[2] = new Cell(a.Position);
                actionCells[3] = new Cell(a.Kind);
                actionCells[4] = new Cell(a.Note);
                actionCells[5] = new Cell(a.Type);
                actionCells[6] = new Cell(a.Plate);
                actionCells[7] = new Cell(a.Unit);
                actionCells[8] = new Cell(a.Detected, dateStyle);
                await book.AddRowAsync(actionCells);
            }
            var types = Enum.GetValues<ViolationType>().Select(Labels.Of).ToList();
            await book.StartWorksheetAsync("汇总");
            await book.AddHeaderRowAsync(["单位代码", .. types, "合计"], header);
            foreach (var code in byUnit.Keys.Select(k => k.Code).Distinct().Order(StringComparer.Ordinal))
            {
                var row = new List<Cell> { new(code) };
                row.AddRange(types.Select(t => new Cell(byUnit.GetValueOrDefault((code, t)))));
                row.Add(new Cell(types.Sum(t => byUnit.GetValueOrDefault((code, t)))));
                await book.AddRowAsync(row);
            }
            var statuses = Enum.GetValues<ViolationStatus>().Select(Labels.Of).ToList();
            await book.StartWorksheetAsync("分类统计");
            await book.AddHeaderRowAsync(["违规类型", .. statuses, "合计"], header);
            foreach (var t in types)
            {
                var row = new List<Cell> { new(t) };
                row.AddRange(statuses.Select(s => new Cell(byTypeStatus.GetValueOrDefault((t, s)))));
                row.Add(new Cell(statuses.Sum(s => byTypeStatus.GetValueOrDefault((t, s)))));
                await book.AddRowAsync(row);
            }
            await book.FinishAsync();
        }
        var cheetahSeconds = write.Elapsed.TotalSeconds;
        var cheetahPeak = Measure.PeakMb(Environment.ProcessId) - holding;
        var cheetahBytes = new FileInfo(file).Length;
        File.Delete(file);
        if (Environment.GetEnvironmentVariable("FLEET_BENCH_WRITER") == "fleet")
        {
            // Fleet's own writer over the same rows in memory: how much of the report's time is the writer's.
            var again = Stopwatch.StartNew();
            await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var w = new Fleet.Api.Features.Reports.XlsxWriter(stream))
            {
                w.StartSheet("违规明细", new Fleet.Api.Features.Reports.Column[] { new("发现时间", 17), new("类型", 10), new("车牌", 10), new("单位代码", 10), new("单位名称", 14),
                    new("来源", 8), new("状态", 8), new("处理人数", 8), new("备注", 12, 40), new("办结时间", 17), new("办结说明", 10, 40) }, 1);
                w.StartRow();
                w.Headers();
                foreach (var d in details)
                {
                    w.StartRow();
                    w.Date(d.Detected);
                    w.Text(d.Type);
                    w.Text(d.Plate);
                    w.Text(d.Code);
                    w.Text(d.Name);
                    w.Text(d.Source);
                    w.Text(d.Status);
                    w.Number(d.Actions);
                    w.Text(d.Notes);
                    w.Date(d.Closed);
                    w.Text(d.CloseReason);
                }
                w.Finish();
            }
            Console.Error.WriteLine($"Fleet's writer from memory: {again.Elapsed.TotalSeconds:F2} s, {new FileInfo(file).Length / 1e6:F1} MB (SpreadCheetah {cheetahSeconds:F2} s, {cheetahBytes / 1e6:F1} MB)");
            File.Delete(file);
        }
        var figure = new Figure(readSeconds, cheetahSeconds, cheetahPeak, details.Count, cheetahBytes, engineSeconds);
        Console.WriteLine(JsonSerializer.Serialize(figure));
    }
}
