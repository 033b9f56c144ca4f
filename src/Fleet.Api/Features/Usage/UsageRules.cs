using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Auditing;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Usage;

public sealed record UsageImported(int Imported, int Duplicates, List<RowError> Errors, int ErrorCount = 0, int ViolationsOpened = 0, int Rows = 0);

/// <summary>The file as uploaded: its name and SHA-256, which the import's audit entry keeps.</summary>
public sealed record UsageUpload(string FileName, string Sha256);

/// <summary>
/// Usage records come in by import only, and are evidence: never changed. A record is kept once, by its natural key
/// (unique in the database, so two imports of the same file at once settle there); a repeat, in the file or of a
/// record already imported, is counted as a duplicate, not added. Each plate (or fuel card) must be a registered
/// vehicle's, whose unit the record then belongs to for reading. The new records are then checked against the seals
/// (<see cref="UsageCheck"/>). A province's month is ten million trips: the file is read twice as a stream (checked
/// whole first, so that a bad row writes nothing; then inserted through statements prepared once, in one transaction
/// on SQLite and in parts of <see cref="UsageLimits.PartRows"/> on the servers), and each part is audited once
/// (<see cref="UsageImport"/>: file, SHA-256, counts), each record naming its part.
/// </summary>
public sealed class UsageRules(FleetDbContext db, TimeProvider clock, IAuditActor actor, UsageCheck check, Microsoft.Extensions.Options.IOptions<UsageLimits> limits, ILogger<UsageRules> logger)
{
    private const int MaxErrors = 1000;
    /// <summary>One usage import at a time per database in a server: they share the writer, and a second would only wait.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Imports = new();

    public async Task<Outcome<UsageImported>> ImportAsync(Caller caller, UsageKind kind, UsageSheet.Reader file, UsageUpload upload, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.Inspector) is { } forbidden) return forbidden;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        // A large file (a province's month comes in files of a million rows) names most of the register's cars: the
        // register is read whole on another thread while the file is checked. One pass over it is faster than
        // thousands of lookups (100,000 plates took 2 s in 200), and beside the check it costs no time at all.
        var register = file.Length > WholeRegisterBytes ? Task.Run(() => RegisterAsync(ct), ct) : null;
        // First pass: every row checked, the distinct plates gathered.
        var errors = new List<RowError>();
        var errorCount = 0;
        var plates = new HashSet<string>(StringComparer.Ordinal);
        var cards = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        DateTime? first = null, last = null;
        try
        {
            foreach (var (row, rowErrors) in file.Rows())
            {
                rows++;
                if (rowErrors is not null)
                {
                    errorCount += rowErrors.Count;
                    if (errors.Count < MaxErrors) errors.AddRange(rowErrors);
                    continue;
                }
                if (row!.PlateNumber.Length > 0) plates.Add(row.PlateNumber);
                if (row.CardNumber is not null) cards.Add(row.CardNumber);
                if (first is null || row.StartedAt < first) first = row.StartedAt;
                if (last is null || row.StartedAt > last) last = row.StartedAt;
            }
        }
        catch (Exception) when (register is not null)
        {
            // A file refused half way: the register's reader is still using the context.
            try { await register; } catch (Exception e) when (register.IsFaulted || register.IsCanceled || e is OperationCanceledException) { }
            throw;
        }
        // The register's reader uses the context: it is done before anything else does, whatever the outcome.
        var vehicles = register is null ? new Dictionary<string, (Guid Id, Guid UnitId)>(StringComparer.Ordinal) : await register;
        if (file.FileProblem is not null) return Refusal.Invalid("file", file.FileProblem);
        if (register is null)
            foreach (var chunk in plates.Chunk(500))
                foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.PlateNumber)).Select(v => new { v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
                    vehicles[v.PlateNumber] = (v.Id, v.UnitId);
        // A fuel card names its car by the register (one car, one card): rows that give only the card take its plate;
        // rows that give both must agree.
        var cardPlates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in cards.Chunk(500))
            foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.FuelCardNumber!)).Select(v => new { v.FuelCardNumber, v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
            {
                cardPlates[v.FuelCardNumber!] = v.PlateNumber;
                vehicles[v.PlateNumber] = (v.Id, v.UnitId);
            }
        if (cards.Count > 0 || plates.Any(p => !vehicles.ContainsKey(p)))
            foreach (var (row, _) in file.Rows())
            {
                if (row is null) continue;
                RowError? error = null;
                if (row.CardNumber is { } card && !cardPlates.ContainsKey(card))
                    error = new(row.Row, "cardNumber", "Usage.UnknownCard", ("card", card));
                else if (row.PlateNumber.Length > 0 && !vehicles.ContainsKey(row.PlateNumber))
                    error = new(row.Row, "plateNumber", "Usage.NotRegistered", ("plate", row.PlateNumber));
                else if (row.CardNumber is not null && row.PlateNumber.Length > 0 && cardPlates[row.CardNumber] != row.PlateNumber)
                    error = new(row.Row, "cardNumber", "Usage.CardOfOther", ("card", row.CardNumber), ("holder", cardPlates[row.CardNumber]), ("plate", row.PlateNumber));
                if (error is null) continue;
                errorCount++;
                if (errors.Count < MaxErrors) errors.Add(error);
            }
        if (errorCount > 0) return new UsageImported(0, 0, errors, errorCount, 0, rows);
        var checkedIn = watch.Elapsed.TotalSeconds;
        if (rows == 0) return Refusal.Invalid("file", "Usage.NoRows");

        // Second pass: inserted in parts of PartRows rows (Fleet:Usage:PartRows) on PostgreSQL and SQL Server, each in a transaction of
        // its own with its audited UsageImport, so that an import never holds keys for long. A part interrupted leaves
        // the parts before it; importing the file again adds only what is missing (the natural key skips the rest).
        // On SQLite the file is one part: every commit there copies the pages it changed back from the log (measured
        // while records still had an index by car: 50,000-row parts made a 1M-row file 2× slower, and the log grew to
        // 8 GB when copied back only at the end). Other writers queue behind it in the write gate.
        var running = Imports.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        if (!running.Wait(0)) return Refusal.Conflict("Usage.Running");
        var now = clock.GetUtcNow().UtcDateTime;
        var imported = 0;
        var partRows = Provider.Of(db).RowsPerPart(limits.Value.PartRows);
        // The rows are read again, keyed and put in key order on another thread, beside the inserts (about a third of
        // the importing thread's work in a profile), and handed over in batches through a queue of a few: memory stays bounded by the queue.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = System.Threading.Channels.Channel.CreateBounded<Batch>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var batchRows = Math.Min(5000, partRows);
        var reading = Task.Run(() => ReadBatchesAsync(file, kind, vehicles, cardPlates, now, caller.Username, batchRows, queue.Writer, stop.Token), stop.Token);
        try
        {
            await using var cache = await SetBased.LargeCacheAsync(db, ct, limits.Value.CacheMegabytes);
            while (await queue.Reader.WaitToReadAsync(stop.Token))
            {
                var part = new UsageImport
                {
                    Kind = kind,
                    FileName = upload.FileName.Length <= 260 ? upload.FileName : upload.FileName[..260],
                    Sha256 = upload.Sha256,
                    ImportedAt = now,
                    ImportedBy = caller.Username,
                };
                using var gate = await db.EnterWriteGateAsync(ct);
                await using var work = await UnitOfWork.BeginAsync(db, ct);
                using (var inserter = new RowInserter(db, actor, clock))
                {
                    while (part.Rows < partRows && await queue.Reader.WaitToReadAsync(stop.Token) && queue.Reader.TryRead(out var batch))
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
                imported += part.Imported;
            }
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
        var insertedIn = watch.Elapsed.TotalSeconds;
        // The new records are checked against every seal their times can fall in, at once: an import is what shows it.
        // The records are in; should the check fail now, the hourly job finds them, and the import still succeeded.
        var opened = 0;
        try
        {
            // To its end even when the caller has gone: the hourly job only looks back SealLookbackDays, and a month's
            // file imported late would otherwise stay unchecked.
            if (imported > 0) opened = (await check.CheckAsync(first, last, CancellationToken.None)).ViolationsOpened;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "The usage check after importing {File} failed; the usage-check job will find its records", upload.FileName);
        }
        logger.LogInformation("Usage import {File} ({Kind}, {Rows} rows, {Plates} cars): read and checked in {Checked:F1} s, {Imported} inserted by {Inserted:F1} s, " +
            "{Opened} violations opened by {Done:F1} s", upload.FileName, kind, rows, plates.Count, checkedIn, imported, insertedIn, opened, watch.Elapsed.TotalSeconds);
        return new UsageImported(imported, rows - imported, [], 0, opened, rows);
    }

    /// <summary>Files larger than this (about 25,000 trips) are matched against the whole register, read beside the check.</summary>
    private const long WholeRegisterBytes = 2 * 1024 * 1024;

    private async Task<Dictionary<string, (Guid Id, Guid UnitId)>> RegisterAsync(CancellationToken ct)
    {
        var all = new Dictionary<string, (Guid Id, Guid UnitId)>(StringComparer.Ordinal);
        await foreach (var v in db.Vehicles.AsNoTracking().Select(v => new { v.PlateNumber, v.Id, v.UnitId }).AsAsyncEnumerable().WithCancellation(ct))
            all[v.PlateNumber] = (v.Id, v.UnitId);
        return all;
    }

    /// <param name="Records">The batch's records, each once, in key order: two imports of overlapping files take their keys' locks in the same order.</param>
    /// <param name="Rows">The rows they came from (repeats within the batch count as duplicates).</param>
    private sealed record Batch(List<UsageRecord> Records, int Rows);

    private static async Task ReadBatchesAsync(UsageSheet.Reader file, UsageKind kind, Dictionary<string, (Guid Id, Guid UnitId)> vehicles,
        Dictionary<string, string> cardPlates, DateTime now, string importedBy, int batchRows, System.Threading.Channels.ChannelWriter<Batch> queue, CancellationToken ct)
    {
        try
        {
            var batch = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
            var rows = 0;
            foreach (var (checkedRow, _) in file.Rows())
            {
                var row = checkedRow!;
                if (row.PlateNumber.Length == 0) row = row with { PlateNumber = cardPlates[row.CardNumber!] };
                var (vehicleId, unitId) = vehicles[row.PlateNumber];
                var record = new UsageRecord
                {
                    Kind = kind,
                    VehicleId = vehicleId,
                    PlateNumber = row.PlateNumber,
                    UnitId = unitId,
                    StartedAt = row.StartedAt,
                    EndedAt = row.EndedAt,
                    Place = row.Place,
                    EndPlace = row.EndPlace,
                    Quantity = row.Quantity,
                    Amount = row.Amount,
                    NaturalKey = UsageSheet.NaturalKey(kind, row),
                    ImportedAt = now,
                    ImportedBy = importedBy,
                };
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
