using Fleet.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Reports;

/// <summary>The "Fleet:Reports" configuration section.</summary>
public class ReportOptions
{
    /// <summary>The most rows one detail sheet may hold; a report that would exceed it is refused with a 400. Excel's own limit is 1,048,575.</summary>
    public int MaxRows { get; set; } = 1_000_000;
}

/// <summary>
/// Writes a workbook into a temporary file (so a failure mid-way is a clean error, not a truncated download) and
/// answers it as a file; the file deletes itself when the response is done.
/// </summary>
public sealed class ReportFile(LocalTime local, TimeProvider clock, IOptions<ReportOptions> options, IOptions<FleetOptions> fleet)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const int HeaderRow = 6;

    public int MaxRows => options.Value.MaxRows;

    public LocalTime Local => local;

    /// <summary>A 400 naming the filters when <paramref name="rows"/> would not fit in one report.</summary>
    public ValidationProblem? TooMany(long rows, params string[] filters)
    {
        if (rows <= MaxRows) return null;
        var message = $"{rows:N0} rows match; one report holds at most {MaxRows:N0}. Narrow the filters.";
        return TypedResults.ValidationProblem(filters.ToDictionary(f => f, _ => new[] { message }));
    }

    /// <summary>The report's name as printed in the footer.</summary>
    private static string Title(string name) => name switch
    {
        "recovery-rates" => "专项清理收回率",
        "violations" => "违规情况",
        "spot-checks" => "监督抽查",
        "sealup-compliance" => "封存合规率",
        "vehicle-import-template" => "车辆导入模板",
        _ => name,
    };

    public async Task<FileStreamHttpResult> BuildAsync(string name, Func<XlsxWriter, Task> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (var writer = new XlsxWriter(file))
            {
                writer.Footer = (Title(name), "生成于 " + local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
                await write(writer);
                writer.Finish();
            }
            file.Position = 0;
            var stamp = local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.File(file, ContentType, $"{name}-{stamp}.xlsx");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a sheet with the title block every report carries (what it is, for which filters, the time zone, when
    /// it was made), then the header row, frozen and filterable.
    /// </summary>
    public void StartSheet(XlsxWriter w, string sheet, string title, string filters, IReadOnlyList<(string Header, double Width)> columns, int? position = null)
    {
        w.StartSheet(sheet, columns.Select(c => c.Width).ToList(), freezeBelowRow: HeaderRow, position);
        w.StartRow();
        w.Text(title, CellStyle.Title);
        w.StartRow();
        w.Text("筛选条件 Filters", CellStyle.Label);
        w.Text(filters);
        w.StartRow();
        w.Text("时区 Time zone", CellStyle.Label);
        w.Text(fleet.Value.TimeZone);
        w.StartRow();
        w.Text("生成时间 Generated", CellStyle.Label);
        w.Date(local.ToLocal(clock.GetUtcNow().UtcDateTime));
        w.StartRow();
        w.StartRow();
        w.MarkHeaderRow();
        foreach (var (header, _) in columns) w.Text(header, CellStyle.Header);
    }

    public DateTime? ToLocal(DateTime? utc) => utc is null ? null : local.ToLocal(utc.Value);

    /// <summary>
    /// Streams a query's rows into <paramref name="write"/> with reading and writing overlapped: the database is read on
    /// one thread while the sheet is written on another, through a bounded buffer, so memory stays flat.
    /// </summary>
    public static async Task StreamAsync<T>(IQueryable<T> rows, Action<T> write, CancellationToken ct)
    {
        var buffer = System.Threading.Channels.Channel.CreateBounded<T>(new System.Threading.Channels.BoundedChannelOptions(4096)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct)) await buffer.Writer.WriteAsync(row, ct);
                buffer.Writer.Complete();
            }
            catch (Exception e)
            {
                buffer.Writer.Complete(e);
            }
        }, ct);
        try
        {
            await foreach (var row in buffer.Reader.ReadAllAsync(ct)) write(row);
        }
        finally
        {
            await reader;
        }
    }
}
