using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Auditing;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Usage;

public sealed record UsageImported(int Imported, int Duplicates, List<RowError> Errors, int ViolationsOpened = 0);

/// <summary>
/// Usage records come in by import only, and are evidence: never changed. A record is kept once, by its natural key
/// (unique in the database, so two imports of the same file at once settle there); a repeat, in the file or of a
/// record already imported, is counted as a duplicate, not added. Each plate must be a registered vehicle, whose unit
/// the record then belongs to for reading. The new records are then checked against the seals (<see cref="UsageCheck"/>).
/// </summary>
public sealed class UsageRules(FleetDbContext db, TimeProvider clock, IAuditActor actor, UsageCheck check)
{
    public async Task<Outcome<UsageImported>> ImportAsync(Caller caller, UsageKind kind, List<UsageRow> rows, List<RowError> errors, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.Inspector) is { } forbidden) return forbidden;
        var vehicles = new Dictionary<string, (Guid Id, Guid UnitId)>();
        foreach (var chunk in rows.Select(r => r.PlateNumber).Distinct().Chunk(500))
            foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.PlateNumber)).Select(v => new { v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
                vehicles[v.PlateNumber] = (v.Id, v.UnitId);
        foreach (var row in rows.Where(r => !vehicles.ContainsKey(r.PlateNumber)))
            errors.Add(new(row.Row, "plateNumber", $"{row.PlateNumber} is not in the register."));
        if (errors.Count > 0) return new UsageImported(0, 0, errors);

        var keyed = new Dictionary<string, UsageRow>();
        var duplicates = 0;
        foreach (var row in rows)
            if (!keyed.TryAdd(UsageSheet.NaturalKey(kind, row), row)) duplicates++;
        foreach (var chunk in keyed.Keys.Chunk(500))
            foreach (var known in await db.UsageRecords.AsNoTracking().Where(u => chunk.Contains(u.NaturalKey)).Select(u => u.NaturalKey).ToListAsync(ct))
                if (keyed.Remove(known)) duplicates++;

        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await using var work = await UnitOfWork.BeginAsync(db, ct);
            using (var inserter = new RowInserter(db, actor, clock))
            {
                foreach (var (key, row) in keyed)
                {
                    var (vehicleId, unitId) = vehicles[row.PlateNumber];
                    await inserter.InsertAsync(new UsageRecord
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
                        NaturalKey = key,
                        ImportedAt = now,
                        ImportedBy = caller.Username,
                    }, ct);
                }
            }
            await work.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Refusal.Conflict("Some of these records were imported at the same moment by another import; import the file again.");
        }
        // The new records are checked against every seal their times can fall in, at once: an import is what shows it.
        var opened = keyed.Count == 0 ? 0 : (await check.CheckAsync(keyed.Values.Min(r => r.StartedAt), keyed.Values.Max(r => r.StartedAt), ct)).ViolationsOpened;
        return new UsageImported(keyed.Count, duplicates, [], opened);
    }
}
