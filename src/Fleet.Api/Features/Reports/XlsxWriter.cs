using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Fleet.Api.Features.Reports;

/// <summary>The cell styles every report uses (indexes into styles.xml's cellXfs).</summary>
public enum CellStyle { Default = 0, Header = 1, Text = 2, Date = 3, DateTime = 4, Percent = 5, Integer = 6, Decimal = 7, Title = 8, Label = 9 }

/// <summary>
/// A forward-only .xlsx writer: rows go straight into a deflated zip entry, so memory stays flat whatever the row count
/// (see docs/decisions/002-excel-writer.md). Text is always written as an inline string with the quote-prefix style, so a
/// value beginning with '=', '+', '-' or '@' is shown unchanged and never becomes a formula, not even when re-edited in Excel.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private static readonly DateTime Epoch = new(1899, 12, 30);
    private readonly ZipArchive zip;
    private readonly List<(string Name, string? Filter, int Position, int HeaderRow)> sheets = [];

    /// <summary>The footer every printed page carries: left (the report's title) and right (when it was made); the
    /// centre is the page number, 第 N 页 / 共 M 页.</summary>
    public (string Left, string Right)? Footer { get; set; }
    private StreamWriter? xml;
    private string rowDigits = "";
    private Stream? entry;
    private int row;
    private int column;
    private int headerRow;
    private int columns;

    public XlsxWriter(Stream output) => zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);

    /// <summary>The current row number (1-based) of the sheet being written.</summary>
    public int Row => row;

    /// <summary>
    /// Starts a sheet. Rows up to and including <paramref name="freezeBelowRow"/> stay in view when scrolling.
    /// <paramref name="position"/> places the tab (sheets may be written in any order, e.g. a summary gathered while
    /// streaming the details is written after them but shown first).
    /// </summary>
    public void StartSheet(string name, IReadOnlyList<double> columnWidths, int freezeBelowRow, int? position = null)
    {
        EndSheet();
        sheets.Add((name, null, position ?? sheets.Count, 0));
        entry = zip.CreateEntry($"xl/worksheets/sheet{sheets.Count}.xml", CompressionLevel.Fastest).Open();
        // The sheet XML is written by hand: XmlWriter costs more per cell than everything else in a report together.
        xml = new StreamWriter(entry, new UTF8Encoding(false), 1 << 16);
        row = 0;
        columns = columnWidths.Count;
        xml.Write("""<?xml version="1.0" encoding="utf-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0" """);
        if (sheets[^1].Position == 0) xml.Write("tabSelected=\"1\"");
        xml.Write('>');
        if (freezeBelowRow > 0)
            xml.Write($"<pane ySplit=\"{Num(freezeBelowRow)}\" topLeftCell=\"A{Num(freezeBelowRow + 1)}\" activePane=\"bottomLeft\" state=\"frozen\"/>");
        xml.Write("</sheetView></sheetViews><cols>");
        for (var i = 0; i < columnWidths.Count; i++)
            xml.Write($"<col min=\"{Num(i + 1)}\" max=\"{Num(i + 1)}\" width=\"{columnWidths[i].ToString("0.##", CultureInfo.InvariantCulture)}\" customWidth=\"1\"/>");
        xml.Write("</cols><sheetData>");
    }

    public void StartRow()
    {
        if (row > 0) xml!.Write("</row>");
        row++;
        column = 0;
        rowDigits = Num(row);
        xml!.Write("<row r=\"");
        xml.Write(rowDigits);
        xml.Write("\">");
    }

    /// <summary>Marks the current row as the header of a filterable table spanning every column of the sheet.</summary>
    public void MarkHeaderRow() => headerRow = row;

    public void Text(string? value, CellStyle style = CellStyle.Text)
    {
        if (value is null) { Skip(); return; }
        StartCell(style, "inlineStr");
        xml!.Write("<is><t xml:space=\"preserve\">");
        Escape(value);
        xml.Write("</t></is></c>");
    }

    public void Number(decimal? value, CellStyle style = CellStyle.Decimal)
    {
        if (value is null) { Skip(); return; }
        StartCell(style, null);
        Span<char> digits = stackalloc char[40];
        value.Value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    public void Number(long? value, CellStyle style = CellStyle.Integer)
    {
        if (value is null) { Skip(); return; }
        StartCell(style, null);
        Span<char> digits = stackalloc char[24];
        value.Value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    /// <summary>A local date and time as an Excel date serial.</summary>
    public void Date(DateTime? local, CellStyle style = CellStyle.DateTime)
    {
        if (local is null) { Skip(); return; }
        StartCell(style, null);
        Span<char> digits = stackalloc char[40];
        // Shortest round-trip form: exact to the tick, and far cheaper than a custom format string.
        (local.Value - Epoch).TotalDays.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        Value(digits[..n]);
    }

    public void Date(DateOnly? day) => Date(day?.ToDateTime(TimeOnly.MinValue), CellStyle.Date);

    public void Skip() => column++;

    private void StartCell(CellStyle style, string? type)
    {
        xml!.Write("<c r=\"");
        xml.Write(ColumnName(column));
        xml.Write(rowDigits);
        xml.Write('"');
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
    private void Escape(string value)
    {
        var span = value.AsSpan();
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
        if (row > 0) xml.Write("</row>");
        xml.Write("</sheetData>");
        if (headerRow > 0 && columns > 0)
        {
            var range = $"{Reference(0, headerRow)}:{Reference(columns - 1, Math.Max(row, headerRow))}";
            xml.Write($"<autoFilter ref=\"{range}\"/>");
            sheets[^1] = sheets[^1] with { Filter = range, HeaderRow = headerRow };
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
        xml.Write("</worksheet>");
        xml.Dispose();
        entry!.Dispose();
        xml = null;
        headerRow = 0;
    }

    /// <summary>Writes the workbook parts that name the sheets; call once, after the last sheet.</summary>
    public void Finish()
    {
        EndSheet();
        Part("[Content_Types].xml", w =>
        {
            w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(w, "xml", "application/xml");
            Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            for (var i = 1; i <= sheets.Count; i++)
                Override(w, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            w.WriteEndElement();
        });
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
        Part("xl/workbook.xml", w =>
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
        });
        Part("xl/styles.xml", w => w.WriteRaw(Styles));
        zip.Dispose();
    }

    public void Dispose()
    {
        xml?.Dispose();
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

    // cellXfs follow CellStyle: 0 default, 1 header, 2 text (quote prefix), 3 date, 4 date-time, 5 percent, 6 integer, 7 decimal, 8 title, 9 label.
    private const string Styles = """
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="0.00%"/></numFmts>
        <fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>
        <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill></fills>
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
        <cellXfs count="10">
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
        <xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" quotePrefix="1"/>
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
        <xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" quotePrefix="1"/>
        </cellXfs>
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
        </styleSheet>
        """;
}
