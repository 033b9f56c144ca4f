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
/// record already imported, is counted as a duplicate, not added. Each plate must be a registered vehicle, whose unit
/// the record then belongs to for reading. The new records are then checked against the seals (<see cref="UsageCheck"/>).
/// A province's month is ten million trips: the file is read twice as a stream (checked whole first, so that a bad
/// row writes nothing; then inserted in one transaction, statements prepared once), holding only its distinct plates, and the import
/// is audited once per part of 50,000 rows (<see cref="UsageImport"/>: file, SHA-256, counts), each record naming
/// its part.
/// </summary>
public sealed class UsageRules(FleetDbContext db, TimeProvider clock, IAuditActor actor, UsageCheck check, Microsoft.Extensions.Options.IOptions<UsageLimits> limits, ILogger<UsageRules> logger)
{
    private const int MaxErrors = 1000;
    /// <summary>Rows per transaction on the server databases.</summary>
    public const int PartRows = 50_000;
    /// <summary>One usage import at a time per database in a server: they share the writer, and a second would only wait.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Imports = new();

    public async Task<Outcome<UsageImported>> ImportAsync(Caller caller, UsageKind kind, UsageSheet.Reader file, UsageUpload upload, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.Inspector) is { } forbidden) return forbidden;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        // First pass: every row checked, the distinct plates gathered.
        var errors = new List<RowError>();
        var errorCount = 0;
        var plates = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        DateTime? first = null, last = null;
        foreach (var (row, rowErrors) in file.Rows())
        {
            rows++;
            if (rowErrors is not null)
            {
                errorCount += rowErrors.Count;
                if (errors.Count < MaxErrors) errors.AddRange(rowErrors);
                continue;
            }
            plates.Add(row!.PlateNumber);
            if (first is null || row.StartedAt < first) first = row.StartedAt;
            if (last is null || row.StartedAt > last) last = row.StartedAt;
        }
        if (file.FileProblem is not null) return Refusal.Invalid("file", file.FileProblem);
        var vehicles = new Dictionary<string, (Guid Id, Guid UnitId)>(StringComparer.Ordinal);
        if (plates.Count <= 200_000)
        {
            foreach (var chunk in plates.Chunk(500))
                foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.PlateNumber)).Select(v => new { v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
                    vehicles[v.PlateNumber] = (v.Id, v.UnitId);
        }
        else
        {
            // A province's file names most of its cars: one pass over the register, keeping the file's plates, is
            // several times faster than thousands of lookups (and holds no more than they would).
            await foreach (var v in db.Vehicles.AsNoTracking().Select(v => new { v.PlateNumber, v.Id, v.UnitId }).AsAsyncEnumerable().WithCancellation(ct))
                if (plates.Contains(v.PlateNumber)) vehicles[v.PlateNumber] = (v.Id, v.UnitId);
        }
        if (vehicles.Count < plates.Count)
            foreach (var (row, _) in file.Rows())
                if (row is not null && !vehicles.ContainsKey(row.PlateNumber))
                {
                    errorCount++;
                    if (errors.Count < MaxErrors) errors.Add(new(row.Row, "plateNumber", $"{row.PlateNumber} is not in the register."));
                }
        if (errorCount > 0) return new UsageImported(0, 0, errors, errorCount, 0, rows);
        var checkedIn = watch.Elapsed.TotalSeconds;
        if (rows == 0) return Refusal.Invalid("file", "The file has no rows under the header.");

        // Second pass: inserted in parts of at most PartRows rows on PostgreSQL and SQL Server, each in a transaction of
        // its own with its audited UsageImport, so that an import never holds keys for long. A part interrupted leaves
        // the parts before it; importing the file again adds only what is missing (the natural key skips the rest).
        // On SQLite the file is one part: every commit there copies the pages it changed back from the log, and a
        // car-ordered index changes all over in each part (50,000-row parts made a 1M-row file 2× slower, and the
        // log grew to 8 GB when copied back only at the end). Other writers queue behind it in the write gate.
        var running = Imports.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        if (!running.Wait(0)) return Refusal.Conflict("Another usage import is running on this server; import this file when it is done.");
        var now = clock.GetUtcNow().UtcDateTime;
        var imported = 0;
        var partRows = db.Database.IsSqlite() ? int.MaxValue : PartRows;
        try
        {
            await using var cache = await SetBased.LargeCacheAsync(db, ct, limits.Value.CacheMegabytes);
            using var rowsLeft = file.Rows().GetEnumerator();
            var more = rowsLeft.MoveNext();
            while (more)
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
                    var batch = new Dictionary<string, UsageRecord>(StringComparer.Ordinal);
                    async Task FlushAsync()
                    {
                        // In key order: two imports of overlapping files take their keys' locks in the same order.
                        part.Imported += await inserter.InsertNewAsync(batch.Values.OrderBy(r => r.NaturalKey, StringComparer.Ordinal).ToList(), nameof(UsageRecord.NaturalKey), ct);
                        batch.Clear();
                    }
                    for (; more && part.Rows < partRows; more = rowsLeft.MoveNext())
                    {
                        var row = rowsLeft.Current.Row!;
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
                            ImportId = part.Id,
                            ImportedAt = now,
                            ImportedBy = caller.Username,
                        };
                        part.Rows++;
                        batch.TryAdd(record.NaturalKey, record);
                        if (batch.Count == 5000) await FlushAsync();
                    }
                    if (batch.Count > 0) await FlushAsync();
                }
                part.Duplicates = part.Rows - part.Imported;
                db.UsageImports.Add(part);
                await db.SaveChangesAsync(ct);
                await work.CommitAsync(ct);
                db.ChangeTracker.Clear();
                imported += part.Imported;
            }
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsDeadlock(e))
        {
            return Refusal.Conflict("Some of these records were imported at the same moment by another import; import the file again.");
        }
        finally
        {
            running.Release();
        }
        var insertedIn = watch.Elapsed.TotalSeconds;
        // The new records are checked against every seal their times can fall in, at once: an import is what shows it.
        // The records are in; should the check fail now, the hourly job finds them, and the import still succeeded.
        var opened = 0;
        try
        {
            if (imported > 0) opened = (await check.CheckAsync(first, last, ct)).ViolationsOpened;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "The usage check after importing {File} failed; the usage-check job will find its records", upload.FileName);
        }
        logger.LogInformation("Usage import {File} ({Kind}, {Rows} rows, {Plates} cars): read and checked in {Checked:F1} s, {Imported} inserted by {Inserted:F1} s, " +
            "{Opened} violations opened by {Done:F1} s", upload.FileName, kind, rows, plates.Count, checkedIn, imported, insertedIn, opened, watch.Elapsed.TotalSeconds);
        return new UsageImported(imported, rows - imported, [], 0, opened, rows);
    }
}
