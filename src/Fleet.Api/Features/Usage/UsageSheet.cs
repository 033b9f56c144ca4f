using System.Globalization;
using System.Text;
using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Usage;

/// <summary>One checked row of a usage file, in UTC.</summary>
/// <param name="PlateNumber">Empty when the row names only a fuel card (<paramref name="CardNumber"/>), whose car the import looks up.</param>
public sealed record UsageRow(int Row, string PlateNumber, DateTime StartedAt, DateTime EndedAt, string Place, string? EndPlace,
    decimal? Quantity, decimal? Amount, string? CardNumber = null);

/// <summary>
/// Reads a usage file (the first sheet of an .xlsx, or CSV in UTF-8 or GB18030, as Excel in Chinese saves it) and checks
/// each row: the columns the contract names per kind, by English or Chinese header; local times written
/// yyyy-MM-dd HH:mm[:ss] or as date cells; non-negative numbers.
/// </summary>
public static class UsageSheet
{
    /// <param name="Chinese">The Chinese header, or several read alike separated by |, the first shown.</param>
    private sealed record Column(string Field, string Chinese, bool Required, char Type)
    {
        public bool Names(string header) => string.Equals(Field, header, StringComparison.OrdinalIgnoreCase) || Chinese.Split('|').Contains(header);
        public string Shown => $"{Field}（{Chinese.Split('|')[0]}）";
    }

    // Type: p plate, c fuel card, t time, s text, n number. A fuel transaction names the plate or the card (or both).
    private static readonly Dictionary<UsageKind, Column[]> Columns = new()
    {
        [UsageKind.Fuel] = [new("plateNumber", "车牌号", false, 'p'), new("cardNumber", "卡号|油卡号|加油卡号", false, 'c'), new("time", "交易时间", true, 't'), new("station", "加油站", true, 's'),
            new("litres", "升数", true, 'n'), new("amount", "金额", true, 'n')],
        [UsageKind.Toll] = [new("plateNumber", "车牌号", true, 'p'), new("entryTime", "入口时间", true, 't'), new("entryStation", "入口站", true, 's'),
            new("exitTime", "出口时间", true, 't'), new("exitStation", "出口站", true, 's'), new("fee", "通行费", true, 'n')],
        [UsageKind.Trip] = [new("plateNumber", "车牌号", true, 'p'), new("startTime", "开始时间", true, 't'), new("startPlace", "起点", true, 's'),
            new("endTime", "结束时间", true, 't'), new("endPlace", "终点", true, 's'), new("distanceKm", "里程", true, 'n')],
    };

    /// <summary>
    /// A usage file opened for reading its rows (each time from its start: once to check, once to import), in bounded
    /// memory: one row at a time. <see cref="FileProblem"/> is set when the header does not name the kind's columns.
    /// </summary>
    public sealed class Reader(Stream file, UsageKind kind, UsageLimits limits, Func<DateTime, DateTime> localToUtc, DateTime latestUtc)
    {
        private readonly bool zip = IsZip(file);
        private Encoding? encoding;

        public CodedText? FileProblem { get; private set; }

        /// <summary>The file's size in bytes.</summary>
        public long Length => file.Length;

        /// <summary>Each data row, checked: the row, or its errors (a row with errors has no value).</summary>
        public IEnumerable<(UsageRow? Row, List<RowError>? Errors)> Rows()
        {
            file.Position = 0;
            if (!zip) encoding ??= CsvEncoding(file);
            var lines = zip ? Xlsx(file, limits.Workbook()) : UsageCsv.Lines(file, encoding!, limits);
            return Check(lines);
        }

        private IEnumerable<(UsageRow? Row, List<RowError>? Errors)> Check(IEnumerable<UsageLine> lines)
        {
            Dictionary<string, int>? header = null;
            foreach (var (r, cells, problemColumn, problem) in lines)
            {
                if (problem is not null && header is null)
                {
                    FileProblem = new CodedText("Usage.HeaderProblem", ("problem", problem));
                    yield break;
                }
                if (problem is not null)
                {
                    var field = header!.Where(h => h.Value == problemColumn).Select(h => h.Key).FirstOrDefault() ?? $"column {problemColumn + 1}";
                    yield return (null, [new RowError(r, field, problem)]);
                    continue;
                }
                if (header is null)
                {
                    header = Header(cells);
                    if (FileProblem is not null) yield break;
                    continue;
                }
                if (cells.Count == 0 || cells.Values.All(c => string.IsNullOrWhiteSpace(c.Text))) continue;
                var check = new RowCheck(r, cells, header, kind, localToUtc, latestUtc);
                var row = check.Row();
                yield return (row, check.Errors.Count > 0 ? check.Errors : null);
            }
            if (header is null) FileProblem = new CodedText("Usage.Empty");
        }

        /// <summary>The header row: each of the kind's columns it names, by index; <see cref="FileProblem"/> set when a required one is missing.</summary>
        private Dictionary<string, int> Header(Dictionary<int, SheetCell> cells)
        {
            var columns = Columns[kind];
            var header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var unknown = new List<string>();
            foreach (var (index, cell) in cells)
            {
                var name = cell.Text.Trim();
                var field = columns.FirstOrDefault(c => c.Names(name))?.Field;
                if (field is not null) header.TryAdd(field, index);
                else if (name.Length > 0) unknown.Add(name);
            }
            var missing = columns.Where(c => c.Required && !header.ContainsKey(c.Field)).Select(c => c.Shown).ToList();
            if (kind == UsageKind.Fuel && !header.ContainsKey("plateNumber") && !header.ContainsKey("cardNumber"))
                missing.Insert(0, $"{columns[0].Shown}/{columns[1].Shown}");
            if (missing.Count > 0) FileProblem = Vehicles.ImportVehicles.MissingColumns(missing, unknown);
            return header;
        }
    }

    /// <summary>The check of one data row: each cell read as its column's type, every problem a row error.</summary>
    private sealed class RowCheck(int r, Dictionary<int, SheetCell> cells, Dictionary<string, int> header, UsageKind kind,
        Func<DateTime, DateTime> localToUtc, DateTime latestUtc)
    {
        public List<RowError> Errors { get; } = [];

        /// <summary>The row, or null when it has errors.</summary>
        public UsageRow? Row()
        {
            var card = Card();
            var plate = Plate(card);
            var columns = Columns[kind];
            var values = new Dictionary<string, object?>(columns.Length);
            foreach (var c in columns)
                if (c.Type is 't' or 'n' or 's') values[c.Field] = c.Type switch { 't' => Time(c), 'n' => Number(c), _ => Text(c) };
            return kind switch
            {
                UsageKind.Fuel => Build(plate, card, (DateTime?)values["time"], (DateTime?)values["time"], (string?)values["station"], null, (decimal?)values["litres"], (decimal?)values["amount"]),
                UsageKind.Toll => Build(plate, card, (DateTime?)values["entryTime"], (DateTime?)values["exitTime"], (string?)values["entryStation"], (string?)values["exitStation"], null, (decimal?)values["fee"]),
                _ => Build(plate, card, (DateTime?)values["startTime"], (DateTime?)values["endTime"], (string?)values["startPlace"], (string?)values["endPlace"], (decimal?)values["distanceKm"], null),
            };
        }

        private SheetCell? Cell(string field) => header.TryGetValue(field, out var index) && cells.TryGetValue(index, out var c) && !string.IsNullOrWhiteSpace(c.Text) ? c : null;

        private string? Card()
        {
            if (Cell("cardNumber") is not { } cardCell) return null;
            // A card typed as a number has lost its leading zeros, or its digits past the fifteenth.
            var card = cardCell.Kind is CellKind.Number or CellKind.Date ? null : FuelCards.Normalise(cardCell.Text);
            if (card is null) Errors.Add(new(r, "cardNumber", "Upload.CardDigits"));
            else if (!FuelCards.IsValid(card)) { Errors.Add(new(r, "cardNumber", "Usage.NotACard")); card = null; }
            return card;
        }

        /// <summary>The row's plate; "" when it names only a (good) fuel card; null when it has none.</summary>
        private string? Plate(string? card)
        {
            if (Cell("plateNumber") is { } plateCell)
            {
                var plate = Plates.Normalise(plateCell.Text);
                if (Plates.IsValid(plate)) return plate;
                Errors.Add(new(r, "plateNumber", "Vehicles.NotAPlate"));
                return null;
            }
            if (card is not null) return "";
            if (Errors.Count == 0) Errors.Add(new(r, "plateNumber", kind == UsageKind.Fuel ? "Usage.PlateOrCard" : "Upload.Required"));
            return null;
        }

        private string? Text(Column c)
        {
            var text = Cell(c.Field)?.Text.Trim();
            if (text is null) { Errors.Add(new(r, c.Field, "Upload.Required")); return null; }
            if (text.Length > 200) { Errors.Add(new(r, c.Field, "Usage.TooLong")); return null; }
            // A station or place name is one line of plain text: no control characters or bidirectional overrides.
            if (Infrastructure.PlainText.Problem(text) is { } notPlain) { Errors.Add(new(r, c.Field, notPlain)); return null; }
            return text;
        }

        private DateTime? Time(Column c)
        {
            if (Cell(c.Field) is not { } cell) { Errors.Add(new(r, c.Field, "Upload.Required")); return null; }
            DateTime local;
            if (cell.Kind is CellKind.Date or CellKind.Number && cell.Number is >= 1 and < 2958466) local = DateTime.FromOADate(cell.Number);
            else if (!TryParseLocal(cell.Text.AsSpan().Trim(), out local))
            {
                Errors.Add(new(r, c.Field, "Usage.NotATime"));
                return null;
            }
            if (local.Year < 2000) { Errors.Add(new(r, c.Field, "Usage.TimeRange")); return null; }
            DateTime utc;
            try
            {
                utc = localToUtc(DateTime.SpecifyKind(new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified));
            }
            catch (ArgumentException)
            {
                // A local time skipped when the clocks went forward (in a zone with daylight saving).
                Errors.Add(new(r, c.Field, "Usage.SkippedTime"));
                return null;
            }
            if (utc > latestUtc) { Errors.Add(new(r, c.Field, "Usage.TimeRange")); return null; }
            return utc;
        }

        private decimal? Number(Column c)
        {
            if (Cell(c.Field) is not { } cell) { Errors.Add(new(r, c.Field, "Upload.Required")); return null; }
            decimal n;
            if (cell.Kind is CellKind.Number)
            {
                if (!double.IsFinite(cell.Number) || Math.Abs(cell.Number) > 1e9) { Errors.Add(new(r, c.Field, "Upload.NumberRange")); return null; }
                n = (decimal)cell.Number;
            }
            // Read as written, in decimal: no binary rounding on the way (0.125 stays 0.125 until rounded to cents).
            else if (!decimal.TryParse(cell.Text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out n))
            {
                Errors.Add(new(r, c.Field, "Usage.NotANumber"));
                return null;
            }
            if (n < 0 || n > 1_000_000_000) { Errors.Add(new(r, c.Field, "Upload.NumberRange")); return null; }
            return Math.Round(n, 2, MidpointRounding.AwayFromZero);
        }

        private UsageRow? Build(string? plate, string? card, DateTime? start, DateTime? end, string? place, string? endPlace, decimal? quantity, decimal? amount)
        {
            if (start is not null && end is not null && end < start)
                Errors.Add(new(r, kind == UsageKind.Toll ? "exitTime" : "endTime", "Usage.EndsBeforeStart"));
            else if (start is not null && end is not null && end - start > MaxDuration)
                Errors.Add(new(r, kind == UsageKind.Toll ? "exitTime" : "endTime", "Usage.TooLasting"));
            return Errors.Count > 0 || plate is null ? null : new UsageRow(r, plate, start!.Value, end!.Value, place!, endPlace, quantity, amount, card);
        }
    }

    /// <summary>
    /// yyyy-MM-dd HH:mm or yyyy-MM-dd HH:mm:ss, exactly as DateTime.TryParseExact reads them with the invariant culture
    /// (two digits each, a real date), without its general machinery: a province's month is ten million of them, twice.
    /// </summary>
    public static bool TryParseLocal(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length is not (16 or 19) || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || (text.Length == 19 && text[16] != ':'))
            return false;
        static int Digits(ReadOnlySpan<char> s)
        {
            var n = 0;
            foreach (var c in s)
            {
                if (!char.IsAsciiDigit(c)) return -1;
                n = n * 10 + (c - '0');
            }
            return n;
        }
        var (year, month, day, hour, minute) = (Digits(text[..4]), Digits(text[5..7]), Digits(text[8..10]), Digits(text[11..13]), Digits(text[14..16]));
        var second = text.Length == 19 ? Digits(text[17..19]) : 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
            return false;
        value = new DateTime(year, month, day, hour, minute, second);
        return true;
    }

    /// <summary>A toll passage or trip longer than this is a mistake in the times, not a record.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(48);

    /// <summary>
    /// The key by which the same record imported twice is found: its start time, then the SHA-256 of kind, plate,
    /// times (to the second) and place (NFKC, without spaces, so a full-width comma or a space more is the same
    /// place). Hashed, the key is exact on every database (SQL Server's case- and width-insensitive collation would
    /// otherwise find two different places equal) and short; led by the time, a day's file inserts into one stretch
    /// of the index instead of all over it.
    /// </summary>
    public static string NaturalKey(UsageKind kind, UsageRow row)
    {
        var place = string.Concat(row.Place.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c)));
        var canonical = string.Create(CultureInfo.InvariantCulture, $"{kind}|{row.PlateNumber}|{row.StartedAt:yyyyMMddTHHmmss}|{row.EndedAt:yyyyMMddTHHmmss}|{place}");
        return string.Create(CultureInfo.InvariantCulture, $"{row.StartedAt:yyyyMMddHHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}");
    }

    private static bool IsZip(Stream file)
    {
        Span<byte> head = stackalloc byte[4];
        var read = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    private static IEnumerable<UsageLine> Xlsx(Stream file, ImportLimits limits)
    {
        using var reader = new SheetReader(file, limits);
        foreach (var (row, cells) in reader.Rows()) yield return new UsageLine(row, cells);
    }

    /// <summary>UTF-8 when the whole file decodes as UTF-8 (checked in blocks, without holding it); else GB18030, as Excel in Chinese saves CSV.</summary>
    private static Encoding CsvEncoding(Stream file)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[(1 << 16) + 4];
        try
        {
            int read;
            while ((read = file.Read(bytes)) > 0) decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030");
        }
        finally
        {
            file.Position = 0;
        }
    }
}

/// <summary>The "Fleet:Usage" configuration section: how large a usage file may be.</summary>
public sealed class UsageLimits
{
    /// <summary>The upload (a month of a province's trips comes as several files of this size at most).</summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;
    public int MaxRows { get; set; } = 5_000_000;
    /// <summary>
    /// SQLite's page cache while an import writes (given back after). The records' indexes take their inserts in a few
    /// places (the time's end, and one per unit), so the pages written stay few; an index by car, which took them
    /// everywhere, needed 1 GB at ten million records (with 256 MB a 1M-row file took 79 s instead of 55).
    /// </summary>
    public int CacheMegabytes { get; set; } = 256;
    /// <summary>
    /// Rows per transaction (each with its audited import part) on PostgreSQL and SQL Server, read in batches of at
    /// most 5,000: a part is whole batches. On SQLite a file is one transaction.
    /// </summary>
    public int PartRows { get; set; } = 50_000;

    /// <summary>The limits a workbook is read under: a sheet holds at most 1,048,576 rows.</summary>
    public ImportLimits Workbook() => new()
    {
        MaxUploadBytes = MaxUploadBytes,
        MaxRows = Math.Min(MaxRows, 1_048_575),
        MaxCells = 12L * Math.Min(MaxRows, 1_048_575),
        MaxUncompressedBytes = 512L * 1024 * 1024,
    };
}
