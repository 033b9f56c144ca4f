using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Fleet.Api.Features.Reports;

/// <summary>The cell styles every report uses (indexes into styles.xml's cellXfs).</summary>
public enum CellStyle
{
    Default = 0, Header = 1, Text = 2, Date = 3, DateTime = 4, Percent = 5, Integer = 6, Decimal = 7, Title = 8, Label = 9,
    /// <summary>Text wrapped within its column (chosen by the writer for text wider than the column's cap).</summary>
    Wrap = 10,
    TotalInteger = 11, TotalPercent = 12,
    /// <summary>Small grey text: explanations under a table.</summary>
    Note = 13,
}

/// <summary>A column: its header and the narrowest width it may have; the writer widens it to fit what the first rows hold, up to <paramref name="MaxWidth"/>.</summary>
public readonly record struct Column(string Header, double MinWidth = 8, double MaxWidth = XlsxWriter.DefaultMaxWidth);

/// <summary>A native bar chart of one series (horizontal bars, one per category), anchored over a cell range of its sheet.</summary>
public sealed record BarChart(string Title, string SeriesName, string CategoriesRange, string ValuesRange,
    IReadOnlyList<string> Categories, IReadOnlyList<double?> Values, bool Percent, (int Column, int Row) From, (int Column, int Row) To);

/// <summary>
/// A forward-only .xlsx writer: rows go straight into a deflated zip entry, so memory stays flat whatever the row count
/// (see docs/decisions/002-excel-writer.md). Text is always written as an inline string, and text beginning like a formula
/// ('=', '+', '-', '@') with the quote-prefix style, so it is shown unchanged and never becomes a formula, not even when
/// re-edited in Excel.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private static readonly DateTime Epoch = new(1899, 12, 30);
    private readonly ZipArchive zip;
    private readonly List<(string Name, string? Filter, int Position, int HeaderRow)> sheets = [];
    private readonly List<(int Sheet, BarChart Chart)> charts = [];
    private readonly List<(string Range, string Formula, string Prompt)> validations = [];

    /// <summary>The widest a column grows by default (in characters of the default font); longer text wraps.</summary>
    public const double DefaultMaxWidth = 48;

    /// <summary>How many rows of a sheet are measured for its column widths before the rest is streamed.</summary>
    public const int SampleRows = 500;

    /// <summary>The footer every printed page carries: left (the report's title) and right (when it was made); the
    /// centre is the page number, 第 N 页 / 共 M 页.</summary>
    public (string Left, string Right)? Footer { get; set; }
    // Cells are written into the row's buffer (a row's height is known only once its cells are); finished rows go to
    // the sample buffer while the first rows are measured for the column widths, then straight into the zip entry.
    private TextWriter? xml;
    private readonly StringWriter cells = new(CultureInfo.InvariantCulture);
    private TextWriter? sink;
    private StreamWriter? output;
    private int rowLines;
    private bool rowOpen;
    private string rowDigits = "";
    private Stream? entry;
    private int row;
    private int column;
    // The column a cell written now would take without a reference: the one after the last cell written in the row.
    private int written;
    private int headerRow;
    private int tableEnd;
    private int freezeRow;
    private Column[] columnSpecs = [];
    private double[] measured = [];
    // The widths written, once the first rows are measured: what later cells are wrapped against.
    private double[] widths = [];
    private bool measuring;

    // Fastest: with a cell's bytes cut to what it needs, the 1M-row details sheet is 30 MB in 2.5 s; Optimal makes it
    // 20 MB in 4.2 s (measured from memory, docs/decisions/012).
    private const CompressionLevel SheetCompression = CompressionLevel.Fastest;

    public XlsxWriter(Stream output) => zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);

    /// <summary>The current row number (1-based) of the sheet being written.</summary>
    public int Row => row;

    /// <summary>
    /// Starts a sheet. Rows up to and including <paramref name="freezeBelowRow"/> stay in view when scrolling.
    /// <paramref name="position"/> places the tab (sheets may be written in any order, e.g. a summary gathered while
    /// streaming the details is written after them but shown first). Column widths follow the content of the first
    /// <see cref="SampleRows"/> rows (a CJK character counts twice), within each column's minimum and maximum.
    /// </summary>
    public void StartSheet(string name, IReadOnlyList<Column> columnList, int freezeBelowRow, int? position = null)
    {
        EndSheet();
        sheets.Add((name, null, position ?? sheets.Count, 0));
        entry = zip.CreateEntry($"xl/worksheets/sheet{sheets.Count}.xml", SheetCompression).Open();
        // The sheet XML is written by hand: XmlWriter costs more per cell than everything else in a report together.
        output = new StreamWriter(entry, new UTF8Encoding(false), 1 << 16);
        sink = new StringWriter(CultureInfo.InvariantCulture);
        xml = cells;
        cells.GetStringBuilder().Clear();
        measuring = true;
        rowOpen = false;
        row = 0;
        tableEnd = 0;
        freezeRow = freezeBelowRow;
        columnSpecs = [.. columnList];
        measured = new double[columnSpecs.Length];
        widths = columnSpecs.Select(c => Math.Max(c.MinWidth, c.MaxWidth)).ToArray();
    }

    /// <summary>Starts a sheet with fixed minimum widths and no headers of its own.</summary>
    public void StartSheet(string name, IReadOnlyList<double> columnWidths, int freezeBelowRow, int? position = null) =>
        StartSheet(name, columnWidths.Select(w => new Column("", w)).ToList(), freezeBelowRow, position);

    /// <summary>Writes the sheet's opening (views and measured column widths), then what was buffered while measuring.</summary>
    private void WriteHead()
    {
        if (!measuring) return;
        measuring = false;
        var body = ((StringWriter)sink!).GetStringBuilder();
        sink = output;
        output!.Write("""<?xml version="1.0" encoding="utf-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0" """);
        output.Write('>');
        if (freezeRow > 0)
            output.Write($"<pane ySplit=\"{Num(freezeRow)}\" topLeftCell=\"A{Num(freezeRow + 1)}\" activePane=\"bottomLeft\" state=\"frozen\"/>");
        output.Write("</sheetView></sheetViews>");
        if (columnSpecs.Length > 0)
        {
            output.Write("<cols>");
            for (var i = 0; i < columnSpecs.Length; i++)
            {
                var spec = columnSpecs[i];
                var width = widths[i] = Math.Clamp(measured[i] + 1.5, spec.MinWidth, Math.Max(spec.MinWidth, spec.MaxWidth));
                output.Write($"<col min=\"{Num(i + 1)}\" max=\"{Num(i + 1)}\" width=\"{width.ToString("0.##", CultureInfo.InvariantCulture)}\" customWidth=\"1\"/>");
            }
            output.Write("</cols>");
        }
        output.Write("<sheetData>");
        foreach (var chunk in body.GetChunks()) output.Write(chunk.Span);
    }

    /// <summary>How wide text shows, in widths of the default font's digits: a CJK or full-width character takes two.</summary>
    public static double DisplayWidth(ReadOnlySpan<char> text)
    {
        double widest = 0, line = 0;
        foreach (var c in text)
        {
            if (c == '\n') { widest = Math.Max(widest, line); line = 0; continue; }
            line += c >= '\u1100' && (c <= '\u115F' || (c >= '\u2E80' && c <= '\uA4CF') || (c >= '\uAC00' && c <= '\uD7A3') || (c >= '\uF900' && c <= '\uFAFF')
                || (c >= '\uFE30' && c <= '\uFE4F') || (c >= '\uFF00' && c <= '\uFF60') || (c >= '\uFFE0' && c <= '\uFFE6')) ? 2 : 1.1;
        }
        return Math.Max(widest, line);
    }

    private void Measure(double width)
    {
        if (row < freezeRow) return;
        if (column < measured.Length && width > measured[column]) measured[column] = width;
    }

    public void StartRow()
    {
        FlushRow();
        if (measuring && row >= SampleRows) WriteHead();
        row++;
        column = 0;
        written = 0;
        rowLines = 1;
        rowOpen = true;
        rowDigits = Num(row);
    }

    /// <summary>Writes the finished row: with a height of its own when wrapped text needs more than one line.</summary>
    private void FlushRow()
    {
        if (!rowOpen) return;
        sink!.Write("<row r=\"");
        sink.Write(rowDigits);
        if (rowLines > 1) sink.Write($"\" ht=\"{Num(rowLines * 15)}\" customHeight=\"1");
        sink.Write("\">");
        foreach (var chunk in cells.GetStringBuilder().GetChunks()) sink.Write(chunk.Span);
        sink.Write("</row>");
        cells.GetStringBuilder().Clear();
        rowOpen = false;
    }

    /// <summary>Marks the current row as the header of a filterable table spanning every column of the sheet.</summary>
    public void MarkHeaderRow() => headerRow = row;

    /// <summary>The table's filter range ends with the current row: what follows (a totals row, notes) stays put when sorting or filtering.</summary>
    public void EndTable() => tableEnd = row;

    /// <summary>Writes the header cells of the columns the sheet was started with, and marks the row as the table's header.</summary>
    public void Headers()
    {
        MarkHeaderRow();
        foreach (var c in columnSpecs) Text(c.Header, CellStyle.Header);
    }

    /// <summary>A native bar chart on the current sheet (drawn over the given cells).</summary>
    public void Chart(BarChart chart)
    {
        if (charts.Any(c => c.Sheet == sheets.Count)) throw new InvalidOperationException("One chart per sheet: start another sheet for the next.");
        charts.Add((sheets.Count, chart));
    }

    /// <summary>A drop-down list on the cells of <paramref name="range"/> (e.g. "E2:E5000"): <paramref name="formula"/> is a quoted
    /// comma list or a range on another sheet. Other values are refused by the spreadsheet program, with <paramref name="prompt"/>.</summary>
    public void ListValidation(string range, string formula, string prompt) => validations.Add((range, formula, prompt));

    public void Text(string? value, CellStyle style = CellStyle.Text)
    {
        if (value is null) { Skip(); return; }
        TextCore(value, style);
    }

    /// <summary>Text given as the database holds it (UTF-8): decoded into a buffer of the writer's, no string made.</summary>
    public void Utf8Text(ReadOnlySpan<byte> utf8, CellStyle style = CellStyle.Text)
    {
        if (decoded.Length < utf8.Length) decoded = new char[Math.Max(utf8.Length, decoded.Length * 2)];
        var n = Encoding.UTF8.GetChars(utf8, decoded);
        TextCore(decoded.AsSpan(0, n), style);
    }

    private char[] decoded = new char[256];

    /// <summary>A text cell of a row read as the database holds it; nothing for NULL.</summary>
    public void Text(in RawRow row, int column, CellStyle style = CellStyle.Text)
    {
        if (row.IsNull(column)) Skip();
        else Utf8Text(row.Utf8(column), style);
    }

    private void TextCore(ReadOnlySpan<char> value, CellStyle style)
    {
        // Only text that could be wider than its column is measured after the first rows (two units per character at most).
        // The title block above a frozen header row is neither measured nor wrapped: it may run across the empty cells beside it.
        // While measuring, a column ends at least as wide as its widest text so far, or at its cap: text wider than the cap
        // wraps. After that, text is wrapped against the width written (cheaply ruled out: two units per character at most).
        var limit = column < widths.Length ? (measuring ? columnSpecs[column].MaxWidth : widths[column]) : double.MaxValue;
        if ((measuring || value.Length * 2 > limit - 1) && row >= freezeRow)
        {
            var width = DisplayWidth(value) + (style == CellStyle.Header ? 2.5 : 0);
            if (measuring && style is not (CellStyle.Title or CellStyle.Note)) Measure(width);
            if (style == CellStyle.Text && (width > limit - 1 || value.Contains('\n')))
            {
                style = CellStyle.Wrap;
                var lines = value.Count('\n') + (int)Math.Ceiling(width / Math.Max(1, limit - 1.5));
                rowLines = Math.Min(Math.Max(rowLines, lines), 20);
            }
        }
        // Plain text takes the default style (top-aligned, like every cell): only text a spreadsheet program could take
        // for a formula when the cell is edited gets the quote-prefix style, which keeps it text. Bytes per cell are
        // most of a million-row report's size and time.
        if (style == CellStyle.Text && !FormulaLike(value)) style = CellStyle.Default;
        StartCell(style, "inlineStr");
        xml!.Write(value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) ? "<is><t xml:space=\"preserve\">" : "<is><t>");
        Escape(value);
        xml.Write("</t></is></c>");
    }

    public void Number(decimal? value, CellStyle style = CellStyle.Decimal)
    {
        if (value is null) { Skip(); return; }
        if (measuring) Measure(style is CellStyle.Percent or CellStyle.TotalPercent ? 8 : value.Value.ToString("N2", CultureInfo.InvariantCulture).Length);
        StartCell(style, null);
        Span<char> digits = stackalloc char[40];
        value.Value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    public void Number(long? value, CellStyle style = CellStyle.Integer)
    {
        if (value is null) { Skip(); return; }
        // Room for a count up to the report's million rows at least: a later, larger number must not show as ###.
        if (measuring) Measure(Math.Max(9, value.Value.ToString("N0", CultureInfo.InvariantCulture).Length) + 1);
        StartCell(style, null);
        Span<char> digits = stackalloc char[24];
        value.Value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    /// <summary>A local date and time as an Excel date serial.</summary>
    public void Date(DateTime? local, CellStyle style = CellStyle.DateTime)
    {
        if (local is null) { Skip(); return; }
        if (measuring) Measure(style == CellStyle.Date ? 11.5 : 17.5);
        StartCell(style, null);
        Span<char> digits = stackalloc char[40];
        // Shortest round-trip form: exact to the tick, and far cheaper than a custom format string.
        (local.Value - Epoch).TotalDays.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    public void Date(DateOnly? day) => Date(day?.ToDateTime(TimeOnly.MinValue), CellStyle.Date);

    public void Skip() => column++;

    /// <summary>
    /// Text that could begin like a formula once written: its first character that is neither white space nor a control
    /// character (those are dropped or ignored) is =, +, -, @ or their full-width forms, or it begins with a control
    /// character at all.
    /// </summary>
    public static bool FormulaLike(string value) => FormulaLike(value.AsSpan());

    /// <inheritdoc cref="FormulaLike(string)"/>
    public static bool FormulaLike(ReadOnlySpan<char> value)
    {
        if (value.Length > 0 && char.IsControl(value[0])) return true;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) continue;
            return c is '=' or '+' or '-' or '@' or '＝' or '＋' or '－' or '＠';
        }
        return false;
    }

    private void StartCell(CellStyle style, string? type)
    {
        // A cell's reference is optional where it follows the previous cell of its row: it is written only after a gap.
        if (column == written)
            xml!.Write("<c");
        else
        {
            xml!.Write("<c r=\"");
            xml.Write(ColumnName(column));
            xml.Write(rowDigits);
            xml.Write('"');
        }
        written = column + 1;
        if (style != CellStyle.Default)
        {
            xml.Write(" s=\"");
            xml.Write(StyleIds[(int)style]);
            xml.Write('"');
        }
        if (type is not null)
        {
            xml.Write(" t=\"");
            xml.Write(type);
            xml.Write('"');
        }
        xml.Write('>');
        column++;
    }

    private void Value(ReadOnlySpan<char> digits)
    {
        xml!.Write("<v>");
        xml.Write(digits);
        xml.Write("</v></c>");
    }

    /// <summary>Escapes markup; drops the control characters XML 1.0 cannot carry rather than corrupting the file.</summary>
    private void Escape(ReadOnlySpan<char> value)
    {
        var span = value;
        while (true)
        {
            var i = span.IndexOfAny(Special);
            if (i < 0)
            {
                xml!.Write(span);
                return;
            }
            xml!.Write(span[..i]);
            switch (span[i])
            {
                case '&': xml.Write("&amp;"); break;
                case '<': xml.Write("&lt;"); break;
                case '>': xml.Write("&gt;"); break;
                case '\t' or '\n' or '\r': xml.Write(span[i]); break;
                default: break;
            }
            span = span[(i + 1)..];
        }
    }

    // "&" starts a footer code: a literal one is written twice.
    private static string FooterText(string text) => text.Replace("&", "&&", StringComparison.Ordinal);

    public void EndSheet()
    {
        if (xml is null) return;
        FlushRow();
        WriteHead();
        xml = output;
        xml!.Write("</sheetData>");
        var columns = columnSpecs.Length;
        if (headerRow > 0 && columns > 0)
        {
            var range = $"{Reference(0, headerRow)}:{Reference(columns - 1, Math.Max(tableEnd > 0 ? tableEnd : row, headerRow))}";
            xml.Write($"<autoFilter ref=\"{range}\"/>");
            sheets[^1] = sheets[^1] with { Filter = range, HeaderRow = headerRow };
        }
        if (validations.Count > 0)
        {
            xml.Write($"<dataValidations count=\"{Num(validations.Count)}\">");
            foreach (var (range, formula, prompt) in validations)
            {
                xml.Write($"<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"请从列表中选择\" error=\"");
                xml.Write(System.Security.SecurityElement.Escape(prompt));
                xml.Write("\" prompt=\"");
                xml.Write(System.Security.SecurityElement.Escape(prompt));
                xml.Write($"\" sqref=\"{range}\"><formula1>");
                Escape(formula);
                xml.Write("</formula1></dataValidation>");
            }
            xml.Write("</dataValidations>");
            validations.Clear();
        }
        // Printed as meetings want it: A4 landscape, every column on one page wide, as many pages long as it takes,
        // the header rows repeated (workbook's Print_Titles) and the page numbered in the footer.
        xml.Write("""<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.7" header="0.3" footer="0.3"/>""");
        xml.Write("""<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>""");
        if (Footer is { } footer)
        {
            xml.Write("<headerFooter><oddFooter>");
            Escape("&L" + FooterText(footer.Left) + "&C第 &P 页 / 共 &N 页&R" + FooterText(footer.Right));
            xml.Write("</oddFooter></headerFooter>");
        }
        if (charts.Any(c => c.Sheet == sheets.Count)) xml.Write("<drawing r:id=\"rId1\"/>");
        xml.Write("</worksheet>");
        xml.Dispose();
        entry!.Dispose();
        xml = null;
        output = null;
        headerRow = 0;
    }

    /// <summary>Writes the workbook parts that name the sheets; call once, after the last sheet.</summary>
    public void Finish()
    {
        EndSheet();
        Part("[Content_Types].xml", ContentTypes);
        for (var k = 1; k <= charts.Count; k++) ChartParts(k);
        Part("_rels/.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelNs);
            Relationship(w, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml");
            w.WriteEndElement();
        });
        Part("xl/_rels/workbook.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelNs);
            for (var i = 1; i <= sheets.Count; i++)
                Relationship(w, $"rId{i}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", $"worksheets/sheet{i}.xml");
            Relationship(w, $"rId{sheets.Count + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml");
            w.WriteEndElement();
        });
        // Tabs in position order; each names the part it was written to (sheet{n} in writing order).
        var tabs = sheets.Select((sheet, part) => (sheet.Name, sheet.Filter, sheet.Position, sheet.HeaderRow, Part: part + 1)).OrderBy(t => t.Position).ToList();
        Part("xl/workbook.xml", w => Workbook(w, tabs));
        Part("xl/styles.xml", w => w.WriteRaw(Styles));
        zip.Dispose();
    }

    private void ContentTypes(XmlWriter w)
    {
        w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
        Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default(w, "xml", "application/xml");
        Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        for (var i = 1; i <= sheets.Count; i++)
            Override(w, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        for (var k = 1; k <= charts.Count; k++)
        {
            Override(w, $"/xl/drawings/drawing{k}.xml", "application/vnd.openxmlformats-officedocument.drawing+xml");
            Override(w, $"/xl/charts/chart{k}.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml");
        }
        w.WriteEndElement();
    }

    /// <summary>The k-th chart (1-based): its drawing on its sheet, and the chart itself.</summary>
    private void ChartParts(int k)
    {
        var (sheet, chart) = charts[k - 1];
        Part($"xl/worksheets/_rels/sheet{sheet}.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelNs);
            Relationship(w, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing", $"../drawings/drawing{k}.xml");
            w.WriteEndElement();
        });
        Part($"xl/drawings/_rels/drawing{k}.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelNs);
            Relationship(w, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart", $"../charts/chart{k}.xml");
            w.WriteEndElement();
        });
        RawPart($"xl/drawings/drawing{k}.xml", Drawing(chart, k));
        RawPart($"xl/charts/chart{k}.xml", ChartXml(chart));
    }

    /// <summary>The workbook part: its tabs, and each tab's print titles and filter.</summary>
    private static void Workbook(XmlWriter w, List<(string Name, string? Filter, int Position, int HeaderRow, int Part)> tabs)
    {
        w.WriteStartElement("workbook", Ns);
        w.WriteAttributeString("xmlns", "r", null, RelNs);
        w.WriteStartElement("sheets");
        foreach (var tab in tabs)
        {
            w.WriteStartElement("sheet");
            w.WriteAttributeString("name", tab.Name);
            w.WriteAttributeString("sheetId", Num(tab.Part));
            w.WriteAttributeString("id", RelNs, $"rId{tab.Part}");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        if (tabs.Any(t => t.Filter is not null))
        {
            w.WriteStartElement("definedNames");
            for (var i = 0; i < tabs.Count; i++)
            {
                if (tabs[i].HeaderRow <= 0) continue;
                w.WriteStartElement("definedName");
                w.WriteAttributeString("name", "_xlnm.Print_Titles");
                w.WriteAttributeString("localSheetId", Num(i));
                w.WriteString($"'{tabs[i].Name.Replace("'", "''")}'!${Num(tabs[i].HeaderRow)}:${Num(tabs[i].HeaderRow)}");
                w.WriteEndElement();
            }
            for (var i = 0; i < tabs.Count; i++)
            {
                if (tabs[i].Filter is not { } filter) continue;
                w.WriteStartElement("definedName");
                w.WriteAttributeString("name", "_xlnm._FilterDatabase");
                w.WriteAttributeString("localSheetId", Num(i));
                w.WriteAttributeString("hidden", "1");
                w.WriteString($"'{tabs[i].Name.Replace("'", "''")}'!{Absolute(filter)}");
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    public void Dispose()
    {
        output?.Dispose();
        entry?.Dispose();
        zip.Dispose();
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(
        "&<>\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");
    private static readonly string[] StyleIds = Enumerable.Range(0, 16).Select(Num).ToArray();
    private static readonly string[] ColumnNames = Enumerable.Range(0, 64).Select(c => Reference(c, 1)[..^1]).ToArray();

    private static string ColumnName(int column) => column < ColumnNames.Length ? ColumnNames[column] : Reference(column, 1)[..^1];

    public static string Reference(int column, int row)
    {
        Span<char> letters = stackalloc char[3];
        var i = 3;
        for (var c = column + 1; c > 0; c = (c - 1) / 26) letters[--i] = (char)('A' + (c - 1) % 26);
        return string.Concat(letters[i..], Num(row));
    }

    private static string Absolute(string range) =>
        string.Join(":", range.Split(':').Select(r => "$" + new string(r.TakeWhile(char.IsLetter).ToArray()) + "$" + new string(r.SkipWhile(char.IsLetter).ToArray())));

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private void Part(string name, Action<XmlWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        w.WriteStartDocument(true);
        write(w);
    }

    private void RawPart(string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var w = new StreamWriter(stream, new UTF8Encoding(false));
        w.Write("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>");
        w.Write(content);
    }

    private static string Drawing(BarChart chart, int k) =>
        $$"""<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>{{chart.From.Column}}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{{chart.From.Row}}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{{chart.To.Column}}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{{chart.To.Row}}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{{k + 1}}" name="{{Attr(chart.Title)}}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>""";

    /// <summary>A clustered horizontal bar chart of one series, first category on top, with the values printed at the bars and cached
    /// in the part (so the chart shows as made, and still follows the cells when they are edited).</summary>
    private static string ChartXml(BarChart chart)
    {
        var format = chart.Percent ? "0.0%" : "#,##0";
        var text = new StringBuilder();
        text.Append($$"""<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr><a:r><a:rPr lang="zh-CN" sz="1400" b="1"/><a:t>{{Attr(chart.Title)}}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>{{Attr(chart.SeriesName)}}</c:v></c:tx><c:spPr><a:solidFill><a:srgbClr val="2F5597"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/><c:dLbls><c:numFmt formatCode="{{format}}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls><c:cat><c:strRef><c:f>{{Attr(chart.CategoriesRange)}}</c:f><c:strCache><c:ptCount val="{{chart.Categories.Count}}"/>""");
        for (var i = 0; i < chart.Categories.Count; i++) text.Append($"<c:pt idx=\"{i}\"><c:v>{Attr(chart.Categories[i])}</c:v></c:pt>");
        text.Append($$"""</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>{{Attr(chart.ValuesRange)}}</c:f><c:numCache><c:formatCode>{{format}}</c:formatCode><c:ptCount val="{{chart.Values.Count}}"/>""");
        for (var i = 0; i < chart.Values.Count; i++)
            if (chart.Values[i] is { } v) text.Append($"<c:pt idx=\"{i}\"><c:v>{v.ToString("R", CultureInfo.InvariantCulture)}</c:v></c:pt>");
        var max = chart.Percent ? "<c:max val=\"1\"/><c:min val=\"0\"/>" : "<c:min val=\"0\"/>";
        text.Append($$"""</c:numCache></c:numRef></c:val></c:ser><c:gapWidth val="50"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart><c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:tickMarkSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/>{{max}}</c:scaling><c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/><c:numFmt formatCode="{{(chart.Percent ? "0%" : "#,##0")}}" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1000"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr></c:chartSpace>""");
        return text.ToString();
    }

    /// <summary>Escaped for XML, without the control characters XML 1.0 cannot carry (as cell text drops them).</summary>
    private static string Attr(string value) => System.Security.SecurityElement.Escape(new string(value.Where(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF')).ToArray())) ?? "";

    private static void Default(XmlWriter w, string extension, string type)
    {
        w.WriteStartElement("Default");
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string part, string type)
    {
        w.WriteStartElement("Override");
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Relationship(XmlWriter w, string id, string type, string target)
    {
        w.WriteStartElement("Relationship");
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }

    private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";

    // Dates and times are centred in their columns, so that a time never runs into the plate beside it.
    // cellXfs follow CellStyle: 0 default (top-aligned: plain text takes it), 1 header, 2 text (quote prefix), 3 date, 4 date-time, 5 percent, 6 integer, 7 decimal, 8 title, 9 label,
    // 10 wrapped text, 11 total integer, 12 total percent, 13 note.
    private const string Styles = """
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="0.00%"/></numFmts>
        <fonts count="4"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font><font><sz val="9"/><color rgb="FF595959"/><name val="Calibri"/><family val="2"/></font></fonts>
        <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill></fills>
        <borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border><border><left/><right/><top style="thin"><color auto="1"/></top><bottom style="double"><color auto="1"/></bottom><diagonal/></border></borders>
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1"><alignment vertical="top"/></xf></cellStyleXfs>
        <cellXfs count="14">
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1" quotePrefix="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1" applyAlignment="1"><alignment vertical="top"/></xf>
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1" quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>
        <xf numFmtId="3" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>
        <xf numFmtId="166" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>
        <xf numFmtId="49" fontId="3" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>
        </cellXfs>
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
        </styleSheet>
        """;
}
