using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace Fleet.Api.Features.Photos;

/// <summary>
/// Pictures decoded at once for thumbnails, by their pixels: together at most <c>MaxThumbnailPixels</c> (what one
/// largest picture may have), so that several phone photos decode side by side and a 50-megapixel one alone, never
/// more memory than that one would take. A small picture never queues behind a large one's whole decoding, only until
/// its pixels fit.
/// </summary>
public sealed class Decoding(long maxPixels)
{
    /// <summary>
    /// ImageSharp for thumbnails: one core per picture (the uploads are the parallelism), a small pool kept, and no
    /// single buffer beyond what the largest picture allowed needs (Rgba32, with room for the resize).
    /// </summary>
    public static readonly Configuration Configuration = new(new SixLabors.ImageSharp.Formats.Png.PngConfigurationModule(),
        new SixLabors.ImageSharp.Formats.Jpeg.JpegConfigurationModule())
    {
        MaxDegreeOfParallelism = 1,
        MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 16, AllocationLimitMegabytes = 512 }),
    };

    private const long PixelsPerUnit = 1_000_000;
    private readonly int units = (int)Math.Max(1, maxPixels / PixelsPerUnit);
    private readonly SemaphoreSlim free = new((int)Math.Max(1, maxPixels / PixelsPerUnit));
    /// <summary>One taker at a time takes its units, so that two large pictures never each hold half of what they need.</summary>
    private readonly SemaphoreSlim taking = new(1, 1);

    public async Task<IDisposable> EnterAsync(long pixels, CancellationToken ct)
    {
        var need = (int)Math.Clamp((pixels + PixelsPerUnit - 1) / PixelsPerUnit, 1, units);
        var taken = 0;
        await taking.WaitAsync(ct);
        try
        {
            for (; taken < need; taken++) await free.WaitAsync(ct);
        }
        catch
        {
            if (taken > 0) free.Release(taken);
            throw;
        }
        finally
        {
            taking.Release();
        }
        return new Turn(free, need);
    }

    private sealed class Turn(SemaphoreSlim free, int units) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) free.Release(units);
        }
    }
}
