using System.Buffers.Binary;
using System.IO.Compression;

namespace Fleet.Api.Features.Photos;

/// <summary>
/// A PNG's chunks walked before any parser sees them: each must fit in the file, and the compressed text and colour
/// profile chunks (zTXt, iTXt, iCCP), which the parsers inflate whole, may hold 64 KB together and inflate to 1 MB
/// together. 64 KB of deflated zeros inflate to 66 MB: sixteen such photos at once took 1.45 GB. The walk inflates
/// them itself, a block at a time, and stops at the limit; a camera's or a screen's colour profile is a few KB.
/// </summary>
public static class PngChunks
{
    public const int MaxCompressedBytes = 64 * 1024;
    public const int MaxInflatedBytes = 1024 * 1024;

    public static async Task<bool> FitAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        var header = new byte[8];
        long compressed = 0, inflated = 0;
        file.Position = 8;
        while (file.Position < file.Length)
        {
            if (await file.ReadAtLeastAsync(header, 8, throwOnEndOfStream: false, ct) < 8) return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var kind = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            if (length > file.Length - file.Position - 4) return false;
            if (kind is "zTXt" or "iTXt" or "iCCP")
            {
                if ((compressed += length) > MaxCompressedBytes) return false;
                var data = new byte[length];
                await file.ReadExactlyAsync(data, ct);
                if (Deflated(kind, data) is not { } at) return false;
                if (at >= 0 && (Inflated(data, at, MaxInflatedBytes - inflated) is not { } n || (inflated += n) > MaxInflatedBytes)) return false;
                file.Position += 4;
                continue;
            }
            if (kind == "IEND") return true;
            file.Position += length + 4;
        }
        return false;
    }

    /// <summary>Where the chunk's deflated data starts: -1 for an iTXt that is not compressed, null for a chunk that is not well formed.</summary>
    private static int? Deflated(string kind, byte[] data)
    {
        // keyword NUL, then for zTXt and iCCP the method; for iTXt the flag, the method, language NUL, translated keyword NUL.
        var at = Array.IndexOf(data, (byte)0);
        if (at is < 1 or > 79) return null;
        if (kind != "iTXt") return at + 2 <= data.Length ? at + 2 : null;
        if (at + 3 > data.Length) return null;
        if (data[at + 1] == 0) return -1;
        var language = Array.IndexOf(data, (byte)0, at + 3);
        var translated = language < 0 ? -1 : Array.IndexOf(data, (byte)0, language + 1);
        return translated < 0 ? null : translated + 1;
    }

    /// <summary>
    /// How many bytes the zlib data from <paramref name="at"/> inflates to, counted a block at a time up to just past
    /// <paramref name="room"/>; null when it is not zlib data (no parser could read it either).
    /// </summary>
    private static long? Inflated(byte[] data, int at, long room)
    {
        using var inflate = new ZLibStream(new MemoryStream(data, at, data.Length - at, writable: false), CompressionMode.Decompress);
        var block = new byte[16 * 1024];
        long total = 0;
        try
        {
            int n;
            while (total <= room && (n = inflate.Read(block)) > 0) total += n;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        return total;
    }
}
