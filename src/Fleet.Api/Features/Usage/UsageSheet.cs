using System.Globalization;
using System.Text;
using Fleet.Api.Features.Vehicles;
using Fleet.Data.Entities;

namespace Fleet.Api.Features.Usage;

/// <summary>One checked row of a usage file, in UTC.</summary>
public sealed record UsageRow(int Row, string PlateNumber, DateTime StartedAt, DateTime EndedAt, string Place, string? EndPlace,
    decimal? Quantity, decimal? Amount);

/// <summary>
/// Reads a usage file (the first sheet of an .xlsx, or CSV in UTF-8 or GB18030, as Excel in Chinese saves it) and checks
/// each row: the columns the contract names per kind, by English or Chinese header; local times written
/// yyyy-MM-dd HH:mm[:ss] or as date cells; non-negative numbers.
/// </summary>
public static class UsageSheet
{
    private sealed record Column(string Field, string Chinese, bool Required, char Type);

    // Type: p plate, t time, s text, n number.
    private static readonly Dictionary<UsageKind, Column[]> Columns = new()
    {
        [UsageKind.Fuel] = [new("plateNumber", "车牌号", true, 'p'), new("time", "交易时间", true, 't'), new("station", "加油站", true, 's'),
            new("litres", "升数", true, 'n'), new("amount", "金额", true, 'n')],
        [UsageKind.Toll] = [new("plateNumber", "车牌号", true, 'p'), new("entryTime", "入口时间", true, 't'), new("entryStation", "入口站", true, 's'),
            new("exitTime", "出口时间", true, 't'), new("exitStation", "出口站", true, 's'), new("fee", "通行费", true, 'n')],
        [UsageKind.Trip] = [new("plateNumber", "车牌号", true, 'p'), new("startTime", "开始时间", true, 't'), new("startPlace", "起点", true, 's'),
            new("endTime", "结束时间", true, 't'), new("endPlace", "终点", true, 's'), new("distanceKm", "里程", true, 'n')],
    };

    public sealed record Result(List<UsageRow> Rows, List<RowError> Errors, string? FileProblem);

    public static Result Read(Stream file, UsageKind kind, ImportLimits limits, Func<DateTime, DateTime> localToUtc, DateTime latestUtc)
    {
        var lines = IsZip(file) ? Xlsx(file, limits) : Csv(file, limits);
        var columns = Columns[kind];
        Dictionary<string, int>? header = null;
        var rows = new List<UsageRow>();
        var errors = new List<RowError>();
        foreach (var (r, cells) in lines)
        {
            if (header is null)
            {
                header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                foreach (var (index, cell) in cells)
                {
                    var name = cell.Text.Trim();
                    var field = columns.FirstOrDefault(c => string.Equals(c.Field, name, StringComparison.OrdinalIgnoreCase) || c.Chinese == name)?.Field;
                    if (field is not null) header.TryAdd(field, index);
                }
                var missing = columns.Where(c => !header.ContainsKey(c.Field)).Select(c => $"{c.Field}（{c.Chinese}）").ToList();
                if (missing.Count > 0) return new([], [], $"The first row must name the columns; missing: {string.Join(", ", missing)}.");
                continue;
            }
            if (cells.Count == 0 || cells.Values.All(c => string.IsNullOrWhiteSpace(c.Text))) continue;
            var rowErrors = new List<RowError>();
            SheetCell? Cell(string field) => cells.TryGetValue(header[field], out var c) && !string.IsNullOrWhiteSpace(c.Text) ? c : null;
            string? Text(Column c)
            {
                var text = Cell(c.Field)?.Text.Trim();
                if (text is null) { rowErrors.Add(new(r, c.Field, "Required.")); return null; }
                if (text.Length > 200) { rowErrors.Add(new(r, c.Field, "At most 200 characters.")); return null; }
                return text;
            }
            DateTime? Time(Column c)
            {
                if (Cell(c.Field) is not { } cell) { rowErrors.Add(new(r, c.Field, "Required.")); return null; }
                DateTime local;
                if (cell.Kind is CellKind.Date or CellKind.Number && cell.Number is >= 1 and < 2958466) local = DateTime.FromOADate(cell.Number);
                else if (!DateTime.TryParseExact(cell.Text.Trim(), ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
                {
                    rowErrors.Add(new(r, c.Field, "Not a time: write yyyy-MM-dd HH:mm (local time), or give a date cell."));
                    return null;
                }
                if (local.Year < 2000) { rowErrors.Add(new(r, c.Field, "The time is out of range (from 2000 until now).")); return null; }
                DateTime utc;
                try
                {
                    utc = localToUtc(DateTime.SpecifyKind(new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified));
                }
                catch (ArgumentException)
                {
                    // A local time skipped when the clocks went forward (in a zone with daylight saving).
                    rowErrors.Add(new(r, c.Field, "This local time does not exist: the clocks skipped it."));
                    return null;
                }
                if (utc > latestUtc) { rowErrors.Add(new(r, c.Field, "The time is out of range (from 2000 until now).")); return null; }
                return utc;
            }
            decimal? Number(Column c)
            {
                if (Cell(c.Field) is not { } cell) { rowErrors.Add(new(r, c.Field, "Required.")); return null; }
                double n;
                if (cell.Kind is CellKind.Number) n = cell.Number;
                else if (!double.TryParse(cell.Text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out n))
                {
                    rowErrors.Add(new(r, c.Field, "Not a number: write it with a decimal point (1.5), without separators or a sign."));
                    return null;
                }
                if (!double.IsFinite(n) || n < 0 || n > 1e9) { rowErrors.Add(new(r, c.Field, "The number is out of range.")); return null; }
                return Math.Round((decimal)n, 2);
            }

            string? plate = null;
            if (Cell("plateNumber") is { } plateCell)
            {
                plate = Plates.Normalise(plateCell.Text);
                if (!Plates.IsValid(plate)) { rowErrors.Add(new(r, "plateNumber", "Not a mainland plate.")); plate = null; }
            }
            else rowErrors.Add(new(r, "plateNumber", "Required."));
            var values = columns.Skip(1).Select(c => (c, Value: c.Type switch { 't' => (object?)Time(c), 'n' => Number(c), _ => Text(c) })).ToDictionary(x => x.c.Field, x => x.Value);
            UsageRow? row = kind switch
            {
                UsageKind.Fuel => Build((DateTime?)values["time"], (DateTime?)values["time"], (string?)values["station"], null, (decimal?)values["litres"], (decimal?)values["amount"]),
                UsageKind.Toll => Build((DateTime?)values["entryTime"], (DateTime?)values["exitTime"], (string?)values["entryStation"], (string?)values["exitStation"], null, (decimal?)values["fee"]),
                _ => Build((DateTime?)values["startTime"], (DateTime?)values["endTime"], (string?)values["startPlace"], (string?)values["endPlace"], (decimal?)values["distanceKm"], null),
            };
            UsageRow? Build(DateTime? start, DateTime? end, string? place, string? endPlace, decimal? quantity, decimal? amount)
            {
                if (start is not null && end is not null && end < start)
                    rowErrors.Add(new(r, kind == UsageKind.Toll ? "exitTime" : "endTime", "Ends before it starts."));
                return rowErrors.Count > 0 || plate is null ? null : new UsageRow(r, plate, start!.Value, end!.Value, place!, endPlace, quantity, amount);
            }
            if (row is not null) rows.Add(row);
            errors.AddRange(rowErrors);
        }
        if (header is null) return new([], [], "The file is empty: the first row must name the columns.");
        return new(rows, errors, null);
    }

    /// <summary>The key by which the same record imported twice is found: kind, plate, times (to the second) and place.</summary>
    public static string NaturalKey(UsageKind kind, UsageRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}|{row.PlateNumber}|{row.StartedAt:yyyyMMddTHHmmss}|{row.EndedAt:yyyyMMddTHHmmss}|{row.Place}");

    private static bool IsZip(Stream file)
    {
        Span<byte> head = stackalloc byte[4];
        var read = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    private static IEnumerable<(int Row, Dictionary<int, SheetCell> Cells)> Xlsx(Stream file, ImportLimits limits)
    {
        using var reader = new SheetReader(file, limits);
        foreach (var row in reader.Rows()) yield return row;
    }

    /// <summary>CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks), UTF-8 or, when not valid UTF-8, GB18030.</summary>
    private static IEnumerable<(int Row, Dictionary<int, SheetCell> Cells)> Csv(Stream file, ImportLimits limits)
    {
        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            text = Encoding.GetEncoding("GB18030").GetString(bytes);
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (text.Contains('\0')) throw new WorkbookRefused("The file is neither an .xlsx workbook nor CSV text.");
        var row = 1;
        var cells = new Dictionary<int, SheetCell>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        void EndField()
        {
            if (cells.Count >= 100) throw new WorkbookRefused($"Row {row} has more than 100 columns.");
            cells[cells.Count] = new SheetCell(CellKind.Text, field.ToString(), 0);
            field.Clear();
        }
        while (i < text.Length)
        {
            var c = text[i++];
            if (quoted)
            {
                if (c == '"' && i < text.Length && text[i] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            if (c == '"' && field.Length == 0) { quoted = true; continue; }
            if (c == ',') { EndField(); continue; }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i < text.Length && text[i] == '\n') i++;
                EndField();
                yield return (row, cells);
                if (++row > limits.MaxRows + 1) throw new WorkbookRefused($"The file has more than {limits.MaxRows} rows.");
                cells = [];
                continue;
            }
            field.Append(c);
        }
        if (field.Length > 0 || cells.Count > 0)
        {
            EndField();
            yield return (row, cells);
        }
    }
}
