using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ExcelDataReader;
using Fleet.Api.Features.Vehicles;
using MiniExcelLibs;

namespace Fleet.Benchmarks;

/// <summary>
/// The import's first pass is reading every cell of the sheet. Fleet's own <see cref="SheetReader"/> against the three
/// streaming readers served here (MiniExcel 1.46.0, ExcelDataReader 3.6.0, the OpenXML SDK 3.3.0's OpenXmlReader),
/// each in a process of its own so that its peak is its own, over the same two 100,000-row workbooks: one written
/// with inline strings (as Fleet's template writer and SpreadCheetah write), one with a shared-strings table (as Excel
/// and ClosedXML write). Rounds interleave the readers; medians.
/// </summary>
public static class ReaderBenchmark
{
    public static readonly string[] Readers = ["fleet", "miniexcel", "exceldatareader", "openxmlreader"];
    public const int Rounds = 3;

    public sealed record Result(string Reader, string Workbook, double Seconds, double AllocatedMb, double PeakMb, long Cells);

    public static async Task<List<Result>> RunAsync(int rows)
    {
        var dir = Directory.CreateTempSubdirectory("fleet-readers").FullName;
        try
        {
            var inline = Path.Combine(dir, "inline.xlsx");
            var shared = Path.Combine(dir, "shared.xlsx");
            ImportBenchmark.WriteWorkbook(inline, 0, rows);
            WriteShared(shared, rows);
            var all = new List<Result>();
            for (var round = 0; round < Rounds; round++)
                foreach (var book in new[] { inline, shared })
                    foreach (var reader in Readers)
                        all.Add(await ChildAsync(reader, book));
            return all.GroupBy(r => (r.Reader, r.Workbook)).Select(g =>
            {
                var ordered = g.OrderBy(r => r.Seconds).ToList();
                var median = ordered[ordered.Count / 2];
                return median with { PeakMb = g.Select(r => r.PeakMb).Order().ElementAt(ordered.Count / 2) };
            }).ToList();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Result> ChildAsync(string reader, string book)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Fleet.Benchmarks.dll"), "reader-child", reader, book])
        { RedirectStandardOutput = true };
        using var child = Process.Start(info)!;
        var line = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{reader} on {book}: exit {child.ExitCode} {line}");
        var parts = line.Trim().Split(' ');
        var inv = CultureInfo.InvariantCulture;
        return new Result(reader, Path.GetFileNameWithoutExtension(book), double.Parse(parts[0], inv), double.Parse(parts[1], inv),
            double.Parse(parts[2], inv), long.Parse(parts[3], inv));
    }

    /// <summary>In the child: read every cell's value once, print seconds, allocated MB, peak working set MB, cells.</summary>
    public static void Child(string reader, string book)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var cells = reader switch
        {
            "fleet" => Fleet(book),
            "miniexcel" => MiniExcelRead(book),
            "exceldatareader" => DataReader(book),
            "openxmlreader" => OpenXml(book),
            _ => throw new ArgumentException(reader),
        };
        var seconds = watch.Elapsed.TotalSeconds;
        var mb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F3} {mb:F1} {Measure.PeakMb(Environment.ProcessId):F1} {cells}"));
    }

    private static long Fleet(string book)
    {
        using var stream = File.OpenRead(book);
        using var reader = new SheetReader(stream, new ImportLimits());
        long cells = 0, chars = 0;
        foreach (var (_, row) in reader.Rows())
            foreach (var cell in row.Values)
            {
                cells++;
                chars += cell.Text.Length;
            }
        return Check(cells, chars);
    }

    private static long MiniExcelRead(string book)
    {
        using var stream = File.OpenRead(book);
        long cells = 0, chars = 0;
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
            foreach (var value in row.Values)
                if (value is not null)
                {
                    cells++;
                    chars += Text(value).Length;
                }
        return Check(cells, chars);
    }

    private static long DataReader(string book)
    {
        // ExcelDataReader needs the code-page encodings registered (for .xls; it asks even for .xlsx).
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(book);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        long cells = 0, chars = 0;
        while (reader.Read())
            for (var i = 0; i < reader.FieldCount; i++)
                if (reader.GetValue(i) is { } value)
                {
                    cells++;
                    chars += Text(value).Length;
                }
        return Check(cells, chars);
    }

    private static long OpenXml(string book)
    {
        using var document = SpreadsheetDocument.Open(book, false);
        var workbook = document.WorkbookPart!;
        var shared = new List<string>();
        if (workbook.SharedStringTablePart is { } sst)
        {
            using var strings = DocumentFormat.OpenXml.OpenXmlReader.Create(sst);
            while (strings.Read())
                if (strings.ElementType == typeof(SharedStringItem) && strings.IsStartElement)
                    shared.Add(((SharedStringItem)strings.LoadCurrentElement()!).InnerText);
        }
        var sheet = workbook.WorksheetParts.First();
        long cells = 0, chars = 0;
        using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(sheet);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Cell) || !reader.IsStartElement) continue;
            var cell = (Cell)reader.LoadCurrentElement()!;
            var text = cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)]
                : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText
                : cell.CellValue?.Text;
            if (text is null) continue;
            cells++;
            chars += text.Length;
        }
        return Check(cells, chars);
    }

    private static string Text(object value) => value switch
    {
        double d => d.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // Every reader must have read the same cells: the number is printed and compared by the caller's table.
    private static long Check(long cells, long chars) => chars > 0 ? cells : throw new InvalidOperationException("nothing read");

    /// <summary>The same rows as the import benchmark's workbook, saved with a shared-strings table as Excel saves.</summary>
    private static void WriteShared(string path, int rows)
    {
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Vehicles");
        for (var c = 0; c < ImportVehicles.Columns.Length; c++) sheet.Cell(1, c + 1).Value = ImportVehicles.Columns[c];
        for (var n = 0; n < rows; n++)
        {
            var (plate, vin) = ImportBenchmark.Identity(n);
            var r = n + 2;
            sheet.Cell(r, 1).Value = plate;
            sheet.Cell(r, 2).Value = vin;
            sheet.Cell(r, 3).Value = "比亚迪";
            sheet.Cell(r, 4).Value = "秦PLUS";
            sheet.Cell(r, 5).Value = n % 25 == 0 ? "LawEnforcement" : "General";
            sheet.Cell(r, 6).Value = n % 40 == 0 ? 2.0 : 1.5;
            sheet.Cell(r, 7).Value = 150000;
            sheet.Cell(r, 8).Value = new DateTime(2024, 5, 1).AddDays(n % 300);
            sheet.Cell(r, 9).Value = "Allocated";
            sheet.Cell(r, 10).Value = $"U{n % 10_000 + 1:D5}";
        }
        book.SaveAs(path);
        // ClosedXML writes shared strings; make sure the comparison really has them.
        using var zip = ZipFile.OpenRead(path);
        if (zip.GetEntry("xl/sharedStrings.xml") is null) throw new InvalidOperationException("no shared strings");
    }
}
