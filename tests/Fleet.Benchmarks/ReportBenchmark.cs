using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClosedXML.Excel;
using Fleet.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Benchmarks;

/// <summary>
/// The violations report of the whole generated province through the real server, against the baseline: the same
/// detail sheet filled cell by cell with ClosedXML, in a process of its own, in the same run.
/// </summary>
public static class ReportBenchmark
{
    /// <param name="Seconds">The first report of a fresh server (cold).</param>
    /// <param name="WarmSeconds">The same report asked again of the same server (warm).</param>
    /// <param name="PeakMb">The server's peak resident memory (VmHWM), the database file's mapped pages included.</param>
    /// <param name="PrivatePeakMb">The server's peak private memory (RssAnon) during the two reports.</param>
    public sealed record Figure(double Seconds, double PeakMb, long Rows, long Bytes, double WarmSeconds = 0, double PrivatePeakMb = 0);

    public static async Task<Figure> FleetAsync(string database, string query = "")
    {
        await using var server = await Server.StartAsync(database, 5091);
        var rows = await CountAsync(database);
        var ((seconds, bytes), coldPeak) = await Measure.PrivatePeakAsync(server.Pid, () => DownloadAsync(server, query));
        var ((warm, _), warmPeak) = await Measure.PrivatePeakAsync(server.Pid, () => DownloadAsync(server, query));
        return new Figure(seconds, Measure.PeakMb(server.Pid), rows, bytes, warm, Math.Max(coldPeak, warmPeak));
    }

    private static async Task<(double Seconds, long Bytes)> DownloadAsync(Server server, string query)
    {
        var clock = Stopwatch.StartNew();
        using var response = await server.Http.GetAsync("/api/reports/violations.xlsx" + query, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var file = Path.GetTempFileName();
        await using (var output = File.Create(file)) await response.Content.CopyToAsync(output);
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = new FileInfo(file).Length;
        File.Delete(file);
        return (seconds, bytes);
    }

    /// <summary>Runs <see cref="BaselineChildAsync"/> in a child process and reads its figure.</summary>
    public static async Task<Figure> BaselineAsync(string database, int rows)
    {
        return await Measure.ChildAsync<Figure>("baseline-closedxml", database, rows.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The baseline: the same rows and columns, read the same way, put into a ClosedXML sheet one cell at a time.</summary>
    public static async Task BaselineChildAsync(string database, int rows)
    {
        var options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new FleetDbContext(options);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var clock = Stopwatch.StartNew();
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Violations");
        string[] headers = ["Detected", "Type", "Plate", "Unit code", "Unit", "Source", "Status", "Actions", "Notes", "Closed", "Close reason"];
        for (var c = 0; c < headers.Length; c++) sheet.Cell(1, c + 1).Value = headers[c];
        var r = 1;
        var query = db.Violations.AsNoTracking().OrderBy(v => v.DetectedAt).ThenBy(v => v.Id).Take(rows)
            .Join(db.Units, v => v.UnitId, u => u.Id, (v, u) => new
            {
                v.DetectedAt,
                v.Type,
                v.PlateNumber,
                u.Code,
                u.Name,
                v.Source,
                v.Status,
                Actions = db.PersonActions.Count(a => a.ViolationId == v.Id),
                v.Notes,
                v.ClosedAt,
                v.CloseReason,
            });
        await foreach (var v in query.AsAsyncEnumerable())
        {
            r++;
            sheet.Cell(r, 1).Value = TimeZoneInfo.ConvertTimeFromUtc(v.DetectedAt, zone);
            sheet.Cell(r, 2).Value = v.Type.ToString();
            sheet.Cell(r, 3).Value = v.PlateNumber;
            sheet.Cell(r, 4).Value = v.Code;
            sheet.Cell(r, 5).Value = v.Name;
            sheet.Cell(r, 6).Value = v.Source.ToString();
            sheet.Cell(r, 7).Value = v.Status.ToString();
            sheet.Cell(r, 8).Value = v.Actions;
            sheet.Cell(r, 9).SetValue(v.Notes ?? "");
            sheet.Cell(r, 9).Style.IncludeQuotePrefix = true;
            if (v.ClosedAt is { } closed) sheet.Cell(r, 10).Value = TimeZoneInfo.ConvertTimeFromUtc(closed, zone);
            sheet.Cell(r, 11).Value = v.CloseReason ?? "";
        }
        sheet.SheetView.FreezeRows(1);
        sheet.RangeUsed().SetAutoFilter();
        var file = Path.Combine(Path.GetTempPath(), $"fleet-baseline-{Guid.NewGuid():N}.xlsx");
        book.SaveAs(file);
        var figure = new Figure(clock.Elapsed.TotalSeconds, Measure.PeakMb(Environment.ProcessId), r - 1, new FileInfo(file).Length);
        File.Delete(file);
        Console.WriteLine(JsonSerializer.Serialize(figure));
    }

    private static async Task<long> CountAsync(string database)
    {
        var options = PgCopy.IsPostgres(database)
            ? new DbContextOptionsBuilder<FleetDbContext>().UseNpgsql(database).Options
            : new DbContextOptionsBuilder<FleetDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new FleetDbContext(options);
        return await db.Violations.LongCountAsync();
    }
}
