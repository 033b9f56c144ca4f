using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Reports;

/// <summary>The "Fleet:Reports" configuration section.</summary>
public class ReportOptions
{
    /// <summary>The most rows one detail sheet may hold; a report that would exceed it is refused with a 400. Excel's own limit is 1,048,575.</summary>
    public int MaxRows { get; set; } = 1_000_000;

    /// <summary>Where the monthly archive keeps its files; relative to the data directory unless absolute. Several
    /// instances on one database must share it (a network folder).</summary>
    public string ArchiveDirectory { get; set; } = "reports";

    /// <summary>On SQLite, how much of the database file a report's long read may map into memory (0: none). Mapped pages
    /// are the operating system's file cache, not the process's own memory, though a container's memory limit counts
    /// them. Set 0 where the database file can be cut short under a running server (a restore copied over it): a read
    /// from a mapped page that is gone stops the process, where a read call would be an error of one request.</summary>
    public int MappedReadMegabytes { get; set; } = 4096;

    /// <summary>How many closed months back the archive job fills in, at most (on its first run, say).</summary>
    public int ArchiveMonths { get; set; } = 24;

    /// <summary>How many days after a month ends it is archived: time for checks and cases entered late to be in it.</summary>
    public int ArchiveAfterDays { get; set; } = 3;
}

/// <summary>
/// Writes a workbook into a temporary file (so a failure mid-way is a clean error, not a truncated download) and
/// answers it as a file; the file deletes itself when the response is done.
/// </summary>
public sealed class ReportFile(LocalTime local, TimeProvider clock, IOptions<ReportOptions> options, IOptions<FleetOptions> fleet, RootRegion root)
{
    /// <summary>The region the report covers and the regions below it.</summary>
    public Task<ReportRegions> RegionsAsync(FleetDbContext db, CancellationToken ct) => ReportRegions.LoadAsync(db, root, ct);

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const int HeaderRow = 6;

    public int MaxRows => options.Value.MaxRows;

    /// <summary>Opens the context's connection for the report's reads; on SQLite, reading through a memory map (see <see cref="SetBased.MappedReadAsync"/>).</summary>
    public Task<IAsyncDisposable?> ReadAsync(FleetDbContext db, CancellationToken ct) => SetBased.MappedReadAsync(db, options.Value.MappedReadMegabytes, ct);

    public LocalTime Local => local;

    /// <summary>A 400 naming the filters when <paramref name="rows"/> would not fit in one report.</summary>
    public ValidationProblem? TooMany(long rows, params string[] filters)
    {
        if (rows <= MaxRows) return null;
        var errors = new FieldErrors();
        foreach (var filter in filters)
            errors.Add(filter, "Reports.TooManyRows", ("rows", rows.ToString("N0", CultureInfo.InvariantCulture)), ("max", MaxRows.ToString("N0", CultureInfo.InvariantCulture)));
        return Problems.Invalid(errors);
    }

    /// <summary>The report's name as printed in the footer and listed in the archive.</summary>
    public static string Title(string name) => name switch
    {
        "recovery-rates" => "专项清理收回率",
        "violations" => "违规情况",
        "spot-checks" => "监督抽查",
        "sealup-compliance" => "封存合规率",
        "vehicle-import-template" => "车辆导入模板",
        _ => name,
    };

    /// <param name="title">The report's name in the footer and the file name, when it is not <see cref="Title"/>'s (封存进度 before a deadline).</param>
    public async Task<FileStreamHttpResult> BuildAsync(string name, Func<XlsxWriter, Task> write, string? title = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.xlsx");
        var file = Infrastructure.PrivateFiles.Create(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (var writer = new XlsxWriter(file))
            {
                writer.Footer = (title ?? Title(name), "生成于 " + local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
                await write(writer);
                writer.Finish();
            }
            file.Position = 0;
            var stamp = local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
            // A Chinese file name (专项清理收回率-20270110-1000.xlsx): sent as filename* (RFC 6266), with an ASCII filename beside it.
            return TypedResults.File(file, ContentType, $"{title ?? Title(name)}-{stamp}.xlsx");
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
    public void StartSheet(XlsxWriter w, string sheet, string title, string filters, IReadOnlyList<Column> columns, int? position = null)
    {
        w.StartSheet(sheet, columns, freezeBelowRow: HeaderRow, position);
        w.StartRow();
        w.Text(title, CellStyle.Title);
        w.StartRow();
        w.Text("筛选条件", CellStyle.Label);
        w.Text(filters);
        w.StartRow();
        w.Text("时区", CellStyle.Label);
        // As people say it: 北京时间 for China's zone (Asia/Shanghai, or Windows' China Standard Time), else the zone's id.
        var zone = fleet.Value.TimeZone is "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Harbin" or "PRC" or "China Standard Time" ? "北京时间" : fleet.Value.TimeZone;
        w.Text($"{zone}（UTC{(local.Zone.BaseUtcOffset < TimeSpan.Zero ? "-" : "+")}{local.Zone.BaseUtcOffset:hh\\:mm}）");
        w.StartRow();
        w.Text("生成时间", CellStyle.Label);
        // As text: the title block runs across the columns of the table below, whose widths may be too narrow for a date.
        w.Text(local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        w.StartRow();
        w.StartRow();
        w.Headers();
    }

    /// <summary>The most bars one chart shows; with more units, the lowest are charted.</summary>
    public const int MaxBars = 40;

    /// <summary>
    /// A sheet that ranks the units by a rate and draws it as a native bar chart beside the table (so it can be copied into
    /// slides): every unit, highest first, or with more than <see cref="MaxBars"/> units the lowest ones, lowest first.
    /// Units without a rate (nothing counted) are left out.
    /// </summary>
    public void RateChart(XlsxWriter w, string sheet, string title, string filters, string rateHeader, IEnumerable<(string Name, decimal? Rate)> units, int? position = null)
    {
        var rated = units.Where(u => u.Rate is not null).ToList();
        var shown = rated.Count <= MaxBars
            ? rated.OrderByDescending(u => u.Rate).ThenBy(u => u.Name, StringComparer.Ordinal).ToList()
            : rated.OrderBy(u => u.Rate).ThenBy(u => u.Name, StringComparer.Ordinal).Take(MaxBars).ToList();
        StartSheet(w, sheet, title, filters, [new("序号", 5), new("单位名称", 14, 30), new(rateHeader, 9)], position);
        var first = w.Row + 1;
        foreach (var (u, i) in shown.Select((u, i) => (u, i)))
        {
            w.StartRow();
            w.Number((long)i + 1);
            w.Text(u.Name);
            w.Number(u.Rate, CellStyle.Percent);
        }
        var last = w.Row;
        w.EndTable();
        w.StartRow();
        w.StartRow();
        w.Text(rated.Count > MaxBars
            ? $"共 {rated.Count} 个单位，图中只列出{rateHeader}最低的 {MaxBars} 个；各单位的数字见第一张工作表。"
            : $"共 {rated.Count} 个单位，按{rateHeader}从高到低排列；没有可计数记录的单位不列入。", CellStyle.Note);
        if (shown.Count == 0) return;
        var quoted = "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'!";
        w.Chart(new BarChart(title, rateHeader, $"{quoted}$B${first}:$B${last}", $"{quoted}$C${first}:$C${last}",
            shown.Select(u => u.Name).ToList(), shown.Select(u => (double?)u.Rate).ToList(), Percent: true,
            From: (4, HeaderRow - 1), To: (13, HeaderRow - 1 + Math.Clamp(4 + shown.Count, 20, 4 + MaxBars))));
    }

    /// <summary>A local period as people write it: 2026-10-01 至 2026-10-31 (both days included).</summary>
    public static string Period(string? from, string? to) => (from, to) switch
    {
        (null or "", null or "") => "",
        (_, null or "") => $"{from} 起",
        (null or "", _) => $"至 {to}",
        _ => $"{from} 至 {to}",
    };

    /// <summary>The filter line: each given filter as "名称：值", joined; 全部 when none is given.</summary>
    public static string Describe(params (string Name, string? Value)[] filters)
    {
        var given = filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => $"{f.Name}：{f.Value}").ToList();
        return given.Count == 0 ? "全部" : string.Join("；", given);
    }

    public DateTime? ToLocal(DateTime? utc) => utc is null ? null : local.ToLocal(utc.Value);

    /// <summary>How many rows go from the reading thread to the writing one at a time.</summary>
    public const int Block = 1024;

    /// <summary>
    /// Streams a query's rows into <paramref name="write"/> with reading and writing overlapped: the database is read on
    /// one thread while the sheet is written on another, through a bounded buffer of blocks of rows (a hand-off per row
    /// cost a fifth of a million-row report's CPU in wake-ups), so memory stays flat.
    /// </summary>
    public static Task StreamAsync<T>(IQueryable<T> rows, Action<T> write, CancellationToken ct) =>
        OverlapAsync<T[]>(async (buffer, stop) =>
        {
            var block = new T[Block];
            var count = 0;
            await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(stop))
            {
                block[count++] = row;
                if (count < Block) continue;
                await buffer.WriteAsync(block, stop);
                block = new T[Block];
                count = 0;
            }
            if (count > 0) await buffer.WriteAsync(block[..count], stop);
        }, block =>
        {
            foreach (var row in block) write(row);
        }, ct);

    /// <summary>
    /// Streams a query's rows as the database holds them (<see cref="RawRows"/>): on SQLite the reading thread only steps
    /// the statement and copies each cell's UTF-8, and what a cell needs converting is converted on the writing side. The
    /// query's projection (an anonymous type) names its columns, which <paramref name="write"/> reads by position. Blocks
    /// go back to the reader once written, so a million rows reuse a dozen of them.
    /// </summary>
    public static async Task StreamAsync<T>(FleetDbContext db, IQueryable<T> rows, Action<RawRow> write, CancellationToken ct)
    {
        var names = typeof(T).GetConstructors().Single().GetParameters().Select(p => p.Name!).ToList();
        await using var source = await RawRowReader.OpenAsync(db, rows, names, ct);
        var spare = new System.Collections.Concurrent.ConcurrentQueue<RawRows>();
        await OverlapAsync<RawRows>(async (buffer, stop) =>
        {
            while (true)
            {
                var block = spare.TryDequeue(out var used) ? used : new RawRows(source.Columns);
                if (!await source.ReadAsync(block, Block, stop)) return;
                await buffer.WriteAsync(block, stop);
            }
        }, block =>
        {
            for (var i = 0; i < block.Count; i++) write(block[i]);
            spare.Enqueue(block);
        }, ct);
    }

    /// <summary>Runs <paramref name="produce"/> on a thread of its own into a buffer of eight blocks that <paramref name="consume"/> takes in turn.</summary>
    private static async Task OverlapAsync<TBlock>(Func<System.Threading.Channels.ChannelWriter<TBlock>, CancellationToken, Task> produce, Action<TBlock> consume, CancellationToken ct)
    {
        var buffer = System.Threading.Channels.Channel.CreateBounded<TBlock>(new System.Threading.Channels.BoundedChannelOptions(8)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        // Stopped when the writing side fails, so the reader is not left waiting on a full buffer (and a database read).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                await produce(buffer.Writer, stop.Token);
                buffer.Writer.Complete();
            }
            catch (Exception e)
            {
                buffer.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var block in buffer.Reader.ReadAllAsync(ct))
                consume(block);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            await reader;
        }
    }
}
