using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace Fleet.Api.Features.Vehicles;

/// <summary>How much of a workbook an import reads before it refuses: checked on the archive's directory and the
/// sheet's declared size before any row is read, and again while streaming.</summary>
public sealed class ImportLimits
{
    /// <summary>The upload itself (compressed), refused with 413 before it is read.</summary>
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;
    public int MaxRows { get; set; } = 200_000;
    public long MaxCells { get; set; } = 4_000_000;
    public long MaxUncompressedBytes { get; set; } = 200L * 1024 * 1024;
    public int MaxParts { get; set; } = 1_000;
}

public enum CellKind { Text, Number, Date, Formula, Error, Boolean }

public readonly record struct SheetCell(CellKind Kind, string Text, double Number);

public sealed class WorkbookRefused(CodedText text) : Exception(text.English)
{
    public WorkbookRefused(string code, params (string Name, object? Value)[] args) : this(new CodedText(code, args)) { }

    /// <summary>Why, by code (the exception's message is its English).</summary>
    public CodedText Text { get; } = text;
}

/// <summary>
/// Reads the first sheet of an .xlsx row by row, straight from the archive, holding one row at a time (and the shared
/// strings). Refuses, before reading rows, an archive whose parts would unpack beyond the limit and a sheet whose
/// declared size exceeds the row or cell limits; while reading, a row numbered beyond the limit. A formula cell is
/// reported as a formula (with its cached text), never evaluated. A workbook without a styles part reads its numbers
/// as numbers (dates are recognised by their number format when styles exist).
/// </summary>
public sealed class SheetReader : IDisposable
{
    private static string N0(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private readonly ZipArchive zip;
    private readonly ImportLimits limits;
    private readonly List<string> shared = [];
    private readonly HashSet<int> dateStyles = [];

    public SheetReader(Stream stream, ImportLimits limits)
    {
        this.limits = limits;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw new WorkbookRefused("Import.OldXls");
        }
        if (zip.Entries.Count > limits.MaxParts) throw new WorkbookRefused("Import.TooManyParts", ("max", limits.MaxParts));
        if (zip.Entries.Sum(e => e.Length) > limits.MaxUncompressedBytes)
            throw new WorkbookRefused("Import.UnpacksTooLarge", ("mb", limits.MaxUncompressedBytes / (1024 * 1024)));
        ReadSharedStrings();
        ReadStyles();
    }

    public void Dispose() => zip.Dispose();

    /// <summary>A part read through <see cref="BoundedXmlStream"/>: no node longer than a cell's text, nothing past the declared size.</summary>
    private static XmlReader Xml(ZipArchiveEntry entry, long maxCharacters = 0) => XmlReader.Create(new BoundedXmlStream(entry.Open(), entry.Length), new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
        IgnoreComments = true,
        MaxCharactersInDocument = maxCharacters,
    });

    /// <summary>All the workbook's texts together (they are held in memory), and one text: Excel's own limit.</summary>
    private const long MaxSharedCharacters = 64L * 1024 * 1024;
    public const int MaxTextLength = 32_767;

    private ZipArchiveEntry? Part(string path) => zip.GetEntry(path.TrimStart('/'));

    /// <summary>Moves to the next element of this local name, whatever prefix the writer gave it (x:si, si).</summary>
    private static bool Next(XmlReader xml, string localName)
    {
        while (xml.Read())
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == localName) return true;
        return false;
    }

    private void ReadSharedStrings()
    {
        if (Part("xl/sharedStrings.xml") is not { } entry) return;
        using var xml = Xml(entry, MaxSharedCharacters);
        try
        {
            ReadSharedStrings(xml);
        }
        catch (XmlException)
        {
            throw new WorkbookRefused("Import.TextsTooLarge", ("m", MaxSharedCharacters / (1024 * 1024)));
        }
    }

    private void ReadSharedStrings(XmlReader xml)
    {
        while (Next(xml, "si"))
        {
            using var item = xml.ReadSubtree();
            var text = new System.Text.StringBuilder();
            while (item.Read())
            {
                // Phonetic runs (rPh) hold readings, not the text.
                if (item.NodeType == XmlNodeType.Element && item.LocalName == "rPh") item.Skip();
                if (item.NodeType == XmlNodeType.Element && item.LocalName == "t") AppendText(item, text);
            }
            shared.Add(text.ToString());
            if (shared.Count > limits.MaxCells) throw new WorkbookRefused("Import.TooManyTexts", ("max", N0(limits.MaxCells)));
        }
    }

    /// <summary>
    /// Appends the text of the element the reader is on (its text and CDATA nodes), refusing it as soon as the text
    /// passes Excel's limit: never materialised whole first. Leaves the reader on the element's end.
    /// </summary>
    private static void AppendText(XmlReader xml, System.Text.StringBuilder text)
    {
        if (xml.IsEmptyElement) return;
        var depth = xml.Depth;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)) continue;
            if (text.Length + xml.Value.Length > MaxTextLength)
                throw new WorkbookRefused("Import.TextTooLong", ("max", N0(MaxTextLength)));
            text.Append(xml.Value);
        }
    }

    private void ReadStyles()
    {
        if (Part("xl/styles.xml") is not { } entry) return;
        var dateFormats = new HashSet<int> { 14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47 };
        using var xml = Xml(entry);
        var inCellXfs = false;
        var index = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "numFmt" &&
                int.TryParse(xml.GetAttribute("numFmtId"), out var id) && xml.GetAttribute("formatCode") is { } code && IsDateFormat(code))
                dateFormats.Add(id);
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "cellXfs") inCellXfs = true;
            else if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs") inCellXfs = false;
            else if (inCellXfs && xml.NodeType == XmlNodeType.Element && xml.LocalName == "xf")
            {
                if (int.TryParse(xml.GetAttribute("numFmtId"), out var fmt) && dateFormats.Contains(fmt)) dateStyles.Add(index);
                index++;
            }
        }
    }

    private static bool IsDateFormat(string code)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]", "");
        return plain.IndexOfAny(['y', 'd', 'Y', 'D']) >= 0 || (plain.Contains('m', StringComparison.OrdinalIgnoreCase) && !plain.Contains('0'));
    }

    /// <summary>The first sheet's part, through the workbook's relationships.</summary>
    private ZipArchiveEntry FirstSheet()
    {
        string? relId = null;
        if (Part("xl/workbook.xml") is { } workbook)
        {
            using var xml = Xml(workbook);
            if (Next(xml, "sheet"))
                relId = xml.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        }
        if (relId is not null && Part("xl/_rels/workbook.xml.rels") is { } rels)
        {
            using var xml = Xml(rels);
            while (Next(xml, "Relationship"))
            {
                if (xml.GetAttribute("Id") != relId) continue;
                var target = xml.GetAttribute("Target") ?? "";
                var path = target.StartsWith('/') ? target : "xl/" + target;
                if (Part(path) is { } sheet) return sheet;
            }
        }
        return Part("xl/worksheets/sheet1.xml") ?? throw new WorkbookRefused("Import.NoSheet");
    }

    /// <summary>Each non-empty row of the first sheet: its number and its cells by column (1-based).</summary>
    public IEnumerable<(int Row, Dictionary<int, SheetCell> Cells)> Rows()
    {
        using var xml = Xml(FirstSheet());
        long cells = 0;
        var lastRow = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element) continue;
            if (xml.LocalName == "dimension" && xml.GetAttribute("ref") is { } range)
            {
                var (rows, columns) = Extent(range);
                if (rows > limits.MaxRows + 1) throw new WorkbookRefused("Import.RowsDeclared", ("rows", N0(rows)), ("max", N0(limits.MaxRows)));
                if (rows * columns > limits.MaxCells) throw new WorkbookRefused("Import.CellsDeclared", ("cells", N0(rows * columns)), ("max", N0(limits.MaxCells)));
            }
            else if (xml.LocalName == "row")
            {
                var number = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : lastRow + 1;
                if (number > limits.MaxRows + 1) throw new WorkbookRefused("Import.RowTooFar", ("row", N0(number)), ("max", N0(limits.MaxRows)));
                lastRow = number;
                var row = new Dictionary<int, SheetCell>();
                if (!xml.IsEmptyElement)
                {
                    using var inner = xml.ReadSubtree();
                    var column = 0;
                    while (inner.Read())
                    {
                        if (inner.NodeType != XmlNodeType.Element || inner.LocalName != "c") continue;
                        column = inner.GetAttribute("r") is { } reference ? Column(reference) : column + 1;
                        if (column is < 1 or > 16_384) throw new WorkbookRefused("Import.CellOutside");
                        if (++cells > limits.MaxCells) throw new WorkbookRefused("Import.TooManyCells", ("max", N0(limits.MaxCells)));
                        if (Cell(inner) is { } cell) row[column] = cell;
                    }
                }
                if (row.Count > 0) yield return (number, row);
            }
        }
    }

    private SheetCell? Cell(XmlReader c)
    {
        var type = c.GetAttribute("t");
        var style = int.TryParse(c.GetAttribute("s"), out var s) ? s : -1;
        string? value = null;
        System.Text.StringBuilder? inline = null;
        var formula = false;
        if (!c.IsEmptyElement)
        {
            using var inner = c.ReadSubtree();
            inner.Read();
            while (inner.Read())
            {
                if (inner.NodeType != XmlNodeType.Element) continue;
                switch (inner.LocalName)
                {
                    // A formula's text is never used, but read within the limit like any other.
                    case "f": formula = true; AppendText(inner, new System.Text.StringBuilder()); break;
                    case "v": var v = new System.Text.StringBuilder(); AppendText(inner, v); value = v.ToString(); break;
                    case "t": AppendText(inner, inline ??= new System.Text.StringBuilder()); break;
                }
            }
        }
        var text = type switch
        {
            "s" => int.TryParse(value, out var i) && i >= 0 && i < shared.Count ? shared[i] : "",
            "inlineStr" => inline?.ToString() ?? "",
            _ => value ?? inline?.ToString(),
        };
        if (formula) return new SheetCell(CellKind.Formula, text ?? "", 0);
        if (text is null || (type is "s" or "inlineStr" or "str" && text.Length == 0)) return null;
        return type switch
        {
            "s" or "inlineStr" or "str" => new SheetCell(CellKind.Text, text, 0),
            "b" => new SheetCell(CellKind.Boolean, text, 0),
            "e" => new SheetCell(CellKind.Error, text, 0),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) =>
                new SheetCell(dateStyles.Contains(style) ? CellKind.Date : CellKind.Number, text, n),
            _ => new SheetCell(CellKind.Text, text, 0),
        };
    }

    /// <summary>"B7" → 2; letters only.</summary>
    private static int Column(string reference)
    {
        var column = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            column = column * 26 + (ch - 'A' + 1);
            if (column > 16_384) return -1;
        }
        return column;
    }

    /// <summary>"A1:J100" → (100, 10); "A1048576" → (1048576, 1).</summary>
    private static (long Rows, long Columns) Extent(string range)
    {
        var parts = range.Split(':');
        var first = parts[0];
        var last = parts[^1];
        static int RowOf(string r) => int.TryParse(new string(r.SkipWhile(char.IsLetter).ToArray()), out var n) ? n : 0;
        return (RowOf(last), Math.Max(1, Column(last) - Math.Max(1, Column(first)) + 1));
    }
}
