using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Fleet.Tests.Support;

/// <summary>Small files that unpack to a lot: the uploads an attacker (or a broken exporter) sends.</summary>
public static class Hostile
{
    /// <summary>
    /// An .xlsx written by hand whose first sheet has the header row, then in row 2 under the column
    /// <paramref name="column"/> one cell holding <paramref name="characters"/> letters in the given form: an inline
    /// string (<c>inlineStr</c>), a cached value (<c>str</c>) or a formula (<c>f</c>). 190 M letters compress to 190 KB.
    /// </summary>
    public static byte[] Workbook(string[] header, int column, long characters, string form = "inlineStr")
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
            Add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>");
            Add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            using var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal).Open(), new UTF8Encoding(false), 1 << 16);
            sheet.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">");
            for (var i = 0; i < header.Length; i++) sheet.Write($"<c r=\"{(char)('A' + i)}1\" t=\"inlineStr\"><is><t>{header[i]}</t></is></c>");
            var cell = $"{(char)('A' + column)}2";
            sheet.Write(form switch
            {
                "inlineStr" => $"</row><row r=\"2\"><c r=\"{cell}\" t=\"inlineStr\"><is><t>",
                "str" => $"</row><row r=\"2\"><c r=\"{cell}\" t=\"str\"><v>",
                _ => $"</row><row r=\"2\"><c r=\"{cell}\"><f>",
            });
            var block = new string('A', 1 << 16);
            for (var left = characters; left > 0; left -= block.Length) sheet.Write(block.AsSpan(0, (int)Math.Min(left, block.Length)));
            sheet.Write(form switch { "inlineStr" => "</t></is>", "str" => "</v>", _ => "</f>" });
            sheet.Write("</c></row></sheetData></worksheet>");
        }
        return stream.ToArray();
    }

    /// <summary>
    /// A 2×2 PNG with a zTXt chunk of at most 64 KB of deflated zeros that inflate to <paramref name="inflated"/> bytes
    /// (66 MB fit), before its image data; <paramref name="seed"/> makes each picture different.
    /// </summary>
    public static byte[] PngBomb(int seed, int inflated = 66_000_000, bool withinCompressedCap = true)
    {
        using var image = new Image<Rgb24>(2, 2, new Rgb24((byte)seed, (byte)(seed >> 8), 77));
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        var bytes = png.ToArray();
        using var zeros = new MemoryStream();
        using (var deflate = new ZLibStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            for (var left = inflated; left > 0; left -= block.Length) deflate.Write(block, 0, Math.Min(left, block.Length));
        }
        byte[] data = [.. "Comment"u8.ToArray(), 0, 0, .. zeros.ToArray()];
        if (withinCompressedCap && data.Length > 64 * 1024) throw new InvalidOperationException($"The text chunk takes {data.Length} bytes: more than 64 KB.");
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "zTXt"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        const int afterHeader = 8 + 25;   // the signature, then IHDR (13 bytes of data and 12 of framing)
        return [.. bytes[..afterHeader], .. chunk, .. bytes[afterHeader..]];
    }

    /// <summary>PNG's CRC-32 (ISO 3309), so that the crafted chunk is one a parser would accept.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
