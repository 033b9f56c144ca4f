using System.Collections.Concurrent;
using System.Threading.Channels;
using Fleet.Data.Auditing;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Usage;

/// <summary>A checked file: what it holds, who imports it, and the register's cars its plates and fuel cards name.</summary>
public sealed record CheckedImport(UsageKind Kind, UsageUpload Upload, string ImportedBy,
    Dictionary<string, (Guid Id, Guid UnitId)> Vehicles, Dictionary<string, string> CardPlates);

/// <summary>
/// How a usage import's rows reach the database (what is kept is <see cref="UsageRules"/>'s to say). A province's month
/// is ten million trips: the register is read whole beside the check of a large file; the rows are read again on
/// another thread and handed over in batches in key order; they go in through statements prepared once
/// (<see cref="RowInserter"/>), in one transaction on SQLite and in parts of <see cref="UsageLimits.PartRows"/> on the
/// servers, each part audited once (<see cref="UsageImport"/>: file, SHA-256, counts) and each record naming its part.
/// </summary>
public sealed class UsageWriter(FleetDbContext db, TimeProvider clock, IAuditActor actor, IOptions<UsageLimits> limits)
{
    /// <summary>One usage import at a time per database in a server: they share the writer, and a second would only wait.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Imports = new();

    /// <summary>Files larger than this (about 25,000 trips) are matched against the whole register, read beside the check.</summary>
    private const long WholeRegisterBytes = 2 * 1024 * 1024;

    /// <summary>
    /// A large file (a province's month comes in files of a million rows) names most of the register's cars: the
    /// register is read whole on another thread while the file is checked. One pass over it is faster than thousands
    /// of lookups (100,000 plates took 2 s in 200), and beside the check it costs no time at all. Null for a smaller
    /// file, whose plates are looked up.
    /// </summary>
    public Task<Dictionary<string, (Guid Id, Guid UnitId)>>? ReadRegisterBeside(long fileLength, CancellationToken ct) =>
        fileLength > WholeRegisterBytes ? Task.Run(() => RegisterAsync(ct), ct) : null;

    private async Task<Dictionary<string, (Guid Id, Guid UnitId)>> RegisterAsync(CancellationToken ct)
    {
        var all = new Dictionary<string, (Guid Id, Guid UnitId)>(StringComparer.Ordinal);
        await foreach (var v in db.Vehicles.AsNoTracking().Select(v => new { v.PlateNumber, v.Id, v.UnitId }).AsAsyncEnumerable().WithCancellation(ct))
            all[v.PlateNumber] = (v.Id, v.UnitId);
        return all;
    }

    /// <summary>
    /// Inserts the checked file's records not yet kept, and answers how many it inserted. Inserted in parts of PartRows
    /// rows (Fleet:Usage:PartRows) on PostgreSQL and SQL Server, each in a transaction of its own with its audited
    /// UsageImport, so that an import never holds keys for long. A part interrupted leaves the parts before it;
    /// importing the file again adds only what is missing (the natural key skips the rest). On SQLite the file is one
    /// part: every commit there copies the pages it changed back from the log (measured while records still had an
    /// index by car: 50,000-row parts made a 1M-row file 2× slower, and the log grew to 8 GB when copied back only at
    /// the end). Other writers queue behind it in the write gate.
    /// </summary>
    public async Task<Outcome<int>> WriteAsync(UsageSheet.Reader file, CheckedImport import, CancellationToken ct)
    {
        var running = Imports.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        if (!running.Wait(0)) return Refusal.Conflict("Usage.Running");
        var now = clock.GetUtcNow().UtcDateTime;
        var imported = 0;
        var partRows = Provider.Of(db).RowsPerPart(limits.Value.PartRows);
        // The rows are read again, keyed and put in key order on another thread, beside the inserts (about a third of
        // the importing thread's work in a profile), and handed over in batches through a queue of a few: memory stays bounded by the queue.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var batchRows = Math.Min(5000, partRows);
        var reading = Task.Run(() => ReadBatchesAsync(file, import, now, batchRows, queue.Writer, stop.Token), stop.Token);
        try
        {
            await using var cache = await SetBased.LargeCacheAsync(db, ct, limits.Value.CacheMegabytes);
            while (await queue.Reader.WaitToReadAsync(stop.Token))
                imported += await WritePartAsync(queue.Reader, NewPart(import, now), partRows, stop.Token, ct);
            await reading;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsDeadlock(e))
        {
            return Refusal.Conflict("Usage.ImportedMeanwhile");
        }
        finally
        {
            // The reader stops when the inserts do (it waits on the queue otherwise).
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (Exception e) when (e is OperationCanceledException || reading.IsFaulted)
            {
                // Cancelled, or failed: a failure reached the inserts through the queue and is answered from there.
            }
            finally
            {
                running.Release();
            }
        }
        return imported;
    }

    private static UsageImport NewPart(CheckedImport import, DateTime now) => new()
    {
        Kind = import.Kind,
        FileName = import.Upload.FileName.Length <= 260 ? import.Upload.FileName : import.Upload.FileName[..260],
        Sha256 = import.Upload.Sha256,
        ImportedAt = now,
        ImportedBy = import.ImportedBy,
    };

    /// <summary>One part: up to <paramref name="partRows"/> rows from the queue, inserted and audited in one transaction.</summary>
    private async Task<int> WritePartAsync(ChannelReader<Batch> queue, UsageImport part, int partRows, CancellationToken stop, CancellationToken ct)
    {
        using var gate = await db.EnterWriteGateAsync(ct);
        await using var work = await UnitOfWork.BeginAsync(db, ct);
        using (var inserter = new RowInserter(db, actor, clock))
        {
            while (part.Rows < partRows && await queue.WaitToReadAsync(stop) && queue.TryRead(out var batch))
            {
                foreach (var record in batch.Records) record.ImportId = part.Id;
                part.Imported += await inserter.InsertNewAsync(batch.Records, nameof(UsageRecord.NaturalKey), ct);
                part.Rows += batch.Rows;
            }
        }
        part.Duplicates = part.Rows - part.Imported;
        db.UsageImports.Add(part);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return part.Imported;
    }

    /// <param name="Records">The batch's records, each once, in key order: two imports of overlapping files take their keys' locks in the same order.</param>
    /// <param name="Rows">The rows they came from (repeats within the batch count as duplicates).</param>
    private sealed record Batch(List<UsageRecord> Records, int Rows);

    private static async Task ReadBatchesAsync(UsageSheet.Reader file, CheckedImport import, DateTime now, int batchRows, ChannelWriter<Batch> queue, CancellationToken ct)
    {
        try
        {
            var batch = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
            var rows = 0;
            foreach (var (checkedRow, _) in file.Rows())
            {
                var record = UsageRules.Record(import, checkedRow!, now);
                batch.TryAdd(record.NaturalKey, record);
                if (++rows < batchRows) continue;
                await queue.WriteAsync(new Batch([.. batch.Values.OrderBy(r => r.NaturalKey, StringComparer.Ordinal)], rows), ct);
                batch = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
                rows = 0;
            }
            if (rows > 0) await queue.WriteAsync(new Batch([.. batch.Values.OrderBy(r => r.NaturalKey, StringComparer.Ordinal)], rows), ct);
            queue.Complete();
        }
        catch (Exception e)
        {
            queue.Complete(e);
            throw;
        }
    }
}
