using System.IO.Compression;
using System.Net;
using ClosedXML.Excel;

namespace Fleet.Tests.Support;

/// <summary>Downloads a report and opens it back with ClosedXML, as an auditor's Excel would.</summary>
public sealed class Workbook(XLWorkbook book, byte[] bytes) : IDisposable
{
    public XLWorkbook Book => book;
    public byte[] Bytes => bytes;

    public static async Task<Workbook> Download(Client who, string url)
    {
        var response = await who.Get(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Workbook(new XLWorkbook(new MemoryStream(bytes)), bytes);
    }

    public IXLWorksheet Sheet(int position) => book.Worksheet(position);

    /// <summary>The data rows of a sheet's table (below the header in row 6), as cell lists.</summary>
    public static List<IXLRow> Rows(IXLWorksheet sheet) =>
        sheet.RowsUsed().Where(r => r.RowNumber() > 6).ToList();

    /// <summary>The raw XML of every worksheet part: to prove what Excel will (not) evaluate.</summary>
    public string SheetXml()
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        return string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()));
    }

    /// <summary>The text of one part of the package (e.g. "xl/charts/chart1.xml"), or null when there is none.</summary>
    public string? Part(string name)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        return zip.GetEntry(name) is { } entry ? new StreamReader(entry.Open()).ReadToEnd() : null;
    }

    public List<string> PartNames()
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    public void Dispose() => book.Dispose();
}
