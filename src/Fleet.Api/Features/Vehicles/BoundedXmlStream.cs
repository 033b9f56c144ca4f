namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// A workbook part as the XML reader sees it, refused while it is read (not after a text is materialised): beyond the
/// size its archive declared, or with a run of more than <see cref="MaxRunBytes"/> bytes without a '&lt;'. Every node
/// the reader builds (a text, an attribute, a comment) lies within such a run, so none can grow past it: a single
/// 190-million-character text, which the reader would otherwise hold whole (and copy as it grows), stops at 1 MB.
/// </summary>
public sealed class BoundedXmlStream(Stream inner, long maxBytes) : Stream
{
    /// <summary>
    /// Excel's longest text (32,767 characters), each written as a character reference of up to 10 bytes, fits three
    /// times over; a sheet's markup never comes near it.
    /// </summary>
    public const int MaxRunBytes = 1024 * 1024;

    private long read;
    private long run;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        read += n;
        if (read > maxBytes) throw new WorkbookRefused("Import.PartLies");
        var span = buffer[..n];
        for (var at = span.IndexOf((byte)'<'); at >= 0; at = span.IndexOf((byte)'<'))
        {
            if (run + at > MaxRunBytes) throw TooLong();
            run = 0;
            span = span[(at + 1)..];
        }
        run += span.Length;
        if (run > MaxRunBytes) throw TooLong();
        return n;
    }

    private static WorkbookRefused TooLong() =>
        new("Import.TextTooLong", ("max", SheetReader.MaxTextLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
