using System.Security.Cryptography;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace Fleet.Api.Features.Photos;

/// <summary>The "Fleet:Evidence" configuration section.</summary>
public class EvidenceOptions
{
    /// <summary>Where photos are kept, content-addressed; empty: "evidence" under the data directory.</summary>
    public string Directory { get; set; } = "";
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
    public int MaxPerRecord { get; set; } = 9;
    /// <summary>Larger pictures are kept without a thumbnail (decoding them would take too much memory).</summary>
    public long MaxThumbnailPixels { get; set; } = 50_000_000;
}

/// <summary>What an uploaded photo is, found from its bytes: the type, and the time and place its EXIF data give.</summary>
public sealed record PhotoFacts(string ContentType, DateTime? TakenAt, double? Latitude, double? Longitude);

/// <summary>
/// Photos as evidence: recognised by their content (JPEG, PNG, HEIC), never by their name; read for the EXIF time and
/// GPS position; kept once per content under their SHA-256 (two records showing the same photo share its bytes), with a
/// small JPEG thumbnail for the pages. Memory stays bounded: the upload is copied to disk while hashed, metadata is read
/// from the file, and thumbnails are made only for pictures under a pixel limit, several at once while the pixels being
/// decoded fit that limit together (<see cref="Decoding"/>).
/// </summary>
public sealed class PhotoStore
{
    private readonly string root;
    private readonly EvidenceOptions options;
    private readonly Decoding decoding;

    public PhotoStore(Microsoft.Extensions.Options.IOptions<EvidenceOptions> options, Microsoft.Extensions.Options.IOptions<Infrastructure.FleetOptions> fleet)
    {
        this.options = options.Value;
        decoding = new Decoding(options.Value.MaxThumbnailPixels);
        root = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Value.Directory) ? Path.Combine(fleet.Value.DataPath, "evidence") : options.Value.Directory);
        Infrastructure.PrivateFiles.Tighten(root);
    }

    public string ContentPath(string sha256) => Path.Combine(root, sha256[..2], sha256);

    public string ThumbnailPath(string sha256) => Path.Combine(root, sha256[..2], sha256 + ".thumb.jpg");

    /// <summary>A stored photo, or why it was refused (a 413 or 415 refusal).</summary>
    public sealed record Stored(string? Sha256, long Size, PhotoFacts? Facts, int RefusedStatus, CodedText? Refusal);

    /// <summary>Copies the upload to the store (at most the size limit), then checks what it is; a refused upload leaves nothing.</summary>
    public async Task<Stored> StoreAsync(Stream upload, Func<DateTime, DateTime?> localToUtc, CancellationToken ct)
    {
        var temp = Path.Combine(root, $".upload-{Guid.NewGuid():N}");
        try
        {
            string sha;
            long size = 0;
            await using (var file = Infrastructure.PrivateFiles.Create(temp, bufferSize: 81920, options: FileOptions.Asynchronous))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await upload.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > options.MaxBytes)
                        return new(null, size, null, 413, new CodedText("Photos.TooLarge", ("mb", options.MaxBytes / (1024 * 1024)), ("bytes", options.MaxBytes)));
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (size == 0) return new(null, 0, null, 400, new CodedText("Photos.Empty"));
            var type = await SniffAsync(temp, ct);
            if (type is null) return new(null, size, null, 415, new CodedText("Photos.NotAPhoto"));
            if (type == "image/png" && !await PngChunks.FitAsync(temp, ct))
                return new(null, size, null, 415, new CodedText("Photos.Unreadable", ("type", type)));
            PhotoFacts facts;
            try
            {
                facts = Read(temp, type, localToUtc);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever a crafted file makes a parser throw (a null box, an impossible length): not a photo Fleet keeps.
                return new(null, size, null, 415, new CodedText("Photos.Unreadable", ("type", type)));
            }
            var path = ContentPath(sha);
            Infrastructure.PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            if (type != "image/heic" && !File.Exists(ThumbnailPath(sha)) && !await ThumbnailAsync(temp, ThumbnailPath(sha), ct))
                return new(null, size, null, 415, new CodedText("Photos.Undecodable", ("type", type)));
            if (!File.Exists(path))
            {
                try
                {
                    File.Move(temp, path);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // The same photo stored by another upload just now: the bytes are the same.
                }
            }
            return new(sha, size, facts, 0, null);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The type by the file's first bytes: JPEG (FF D8 FF), PNG (its 8-byte signature), HEIC (an ISO-BMFF ftyp box of a HEIF brand).</summary>
    private static async Task<string?> SniffAsync(string path, CancellationToken ct)
    {
        var head = new byte[32];
        await using var file = File.OpenRead(path);
        var n = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var span = head.AsSpan(0, n);
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (span.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (n >= 12 && span[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(span[8..12]);
            if (brand is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "mif1" or "msf1") return "image/heic";
        }
        return null;
    }

    private static PhotoFacts Read(string path, string type, Func<DateTime, DateTime?> localToUtc)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        using (var file = File.OpenRead(path))
            directories = type switch
            {
                "image/jpeg" => MetadataExtractor.Formats.Jpeg.JpegMetadataReader.ReadMetadata(file),
                "image/png" => MetadataExtractor.Formats.Png.PngMetadataReader.ReadMetadata(file),
                _ => MetadataExtractor.Formats.Heif.HeifMetadataReader.ReadMetadata(file),
            };
        DateTime? taken = null;
        foreach (var exif in directories.OfType<ExifSubIfdDirectory>())
        {
            if (!exif.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var original)) continue;
            var clock = DateTime.SpecifyKind(original, DateTimeKind.Unspecified);
            // The camera's offset from UTC when it says (OffsetTimeOriginal, 0x9011), else Fleet's time zone.
            taken = Offset(exif.GetString(0x9011)) is { } offset ? DateTime.SpecifyKind(clock - offset, DateTimeKind.Utc) : localToUtc(clock);
            break;
        }
        double? latitude = null, longitude = null;
        if (directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation() is { } place && !place.IsZero &&
            double.IsFinite(place.Latitude) && double.IsFinite(place.Longitude) && Math.Abs(place.Latitude) <= 90 && Math.Abs(place.Longitude) <= 180)
            (latitude, longitude) = (Math.Round(place.Latitude, 6), Math.Round(place.Longitude, 6));
        return new PhotoFacts(type, taken, latitude, longitude);
    }

    /// <summary>EXIF's OffsetTimeOriginal, exactly "+hh:mm" or "-hh:mm" within ±14 hours; anything else is not trusted.</summary>
    private static TimeSpan? Offset(string? text)
    {
        if (text is not { Length: 6 } || text[0] is not ('+' or '-') || text[3] != ':' ||
            !int.TryParse(text.AsSpan(1, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours) ||
            !int.TryParse(text.AsSpan(4, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes) ||
            hours > 14 || minutes > 59)
            return null;
        var offset = new TimeSpan(hours, minutes, 0);
        return text[0] == '-' ? -offset : offset;
    }

    /// <summary>A JPEG at most 480 px wide or high, for the pages; false when the picture cannot be decoded.</summary>
    private async Task<bool> ThumbnailAsync(string source, string target, CancellationToken ct)
    {
        try
        {
            var info = await Image.IdentifyAsync(Decoding.Configuration, source, ct);
            if (info is null) return false;
            var pixels = (long)info.Width * info.Height;
            if (pixels > options.MaxThumbnailPixels) return true;
            using var turn = await decoding.EnterAsync(pixels, ct);
            using var image = await Image.LoadAsync(Decoding.Configuration, source, ct);
            image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(480, 480) }));
            var temp = target + $".{Guid.NewGuid():N}.tmp";
            await using (var file = Infrastructure.PrivateFiles.Create(temp))
                await image.SaveAsJpegAsync(file, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 80 }, ct);
            File.Move(temp, target, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
