using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Photos;

/// <summary>
/// Photos as evidence of a seal (its order: the unit's vehicle administrator or an Admin), a spot check or a recovery
/// case (inspectors). Checked in this order, so that a refusal stores nothing: who may attach to the record, the record
/// in the caller's scope, its room for another photo, then the bytes. Never changed or deleted; the upload is audited.
/// Uploads at once cannot pass the limit and do not refuse each other below it: each takes a free number, unique per
/// record in the database, and takes another when a parallel upload got there first.
/// </summary>
public sealed class EvidenceRules(FleetDbContext db, PhotoStore store, IOptions<EvidenceOptions> options, LocalTime local, TimeProvider clock)
{
    public async Task<Outcome<Evidence>> UploadAsync(Caller caller, EvidenceSubject subject, Guid subjectId, Stream photo, CancellationToken ct)
    {
        var allowed = subject == EvidenceSubject.SealOrder ? [Role.Admin, Role.VehicleAdmin] : new[] { Role.Inspector };
        if (caller.Unless(allowed) is { } forbidden) return forbidden;
        var unit = await SubjectUnitAsync(caller, subject, subjectId, ct);
        if (unit.Refusal is { } missing) return missing;
        var count = await db.Evidence.CountAsync(e => e.SubjectType == subject && e.SubjectId == subjectId, ct);
        if (count >= options.Value.MaxPerRecord)
            return Refusal.Conflict("Photos.TooMany", ("count", count));

        var stored = await store.StoreAsync(photo, LocalToUtc, ct);
        if (stored.Refusal is { } why)
            return stored.RefusedStatus switch
            {
                413 => Refusal.TooLarge("file", why),
                415 => Refusal.Unsupported("file", why),
                _ => Refusal.Invalid("file", why),
            };
        // Photos sent at once (a phone sending what it took offline) each take the lowest free number; the unique index
        // settles a race, and the loser reads the numbers again: only a full record, or this photo already there, is a 409.
        while (true)
        {
            if (await db.Evidence.AnyAsync(e => e.SubjectType == subject && e.SubjectId == subjectId && e.Sha256 == stored.Sha256, ct))
                return Refusal.Conflict("Photos.Duplicate");
            var numbers = await db.Evidence.Where(e => e.SubjectType == subject && e.SubjectId == subjectId).Select(e => e.Number).ToListAsync(ct);
            if (numbers.Count >= options.Value.MaxPerRecord)
                return Refusal.Conflict("Photos.TooMany", ("count", numbers.Count));
            var evidence = new Evidence
            {
                SubjectType = subject,
                SubjectId = subjectId,
                Number = Enumerable.Range(1, options.Value.MaxPerRecord).First(n => !numbers.Contains(n)),
                UnitId = unit.Value,
                Sha256 = stored.Sha256!,
                ContentType = stored.Facts!.ContentType,
                Size = stored.Size,
                TakenAt = stored.Facts.TakenAt,
                Latitude = stored.Facts.Latitude,
                Longitude = stored.Facts.Longitude,
                UploadedAt = clock.GetUtcNow().UtcDateTime,
                UploadedBy = caller.Username,
            };
            db.Evidence.Add(evidence);
            try
            {
                await db.SaveChangesAsync(ct);
                return evidence;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Each loss is another photo of this record written: the loop ends by the limit at the latest.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The record's unit, if the caller may see the record.</summary>
    private async Task<Outcome<Guid>> SubjectUnitAsync(Caller caller, EvidenceSubject subject, Guid id, CancellationToken ct)
    {
        var (unit, sealedYet) = subject switch
        {
            EvidenceSubject.SealOrder => await db.SealOrders.AsNoTracking().VisibleTo(caller).Where(o => o.Id == id)
                .Select(o => new { o.UnitId, Sealed = o.SealedAt != null }).FirstOrDefaultAsync(ct) is { } o ? ((Guid?)o.UnitId, o.Sealed) : (null, false),
            EvidenceSubject.SpotCheck => (await db.SpotChecks.AsNoTracking().VisibleTo(caller).Where(s => s.Id == id).Select(s => (Guid?)s.UnitId).FirstOrDefaultAsync(ct), true),
            _ => (await db.RecoveryCases.AsNoTracking().VisibleTo(caller).Where(r => r.Id == id).Select(r => (Guid?)r.UnitId).FirstOrDefaultAsync(ct), true),
        };
        if (unit is null) return Refusal.NotFound(subject switch { EvidenceSubject.SealOrder => "SealUp.OrderNotFound", EvidenceSubject.SpotCheck => "SpotChecks.NotFound", _ => "Recoveries.CaseNotFound" });
        if (!sealedYet) return Refusal.Conflict("Photos.NotSealed");
        return unit.Value;
    }

    private DateTime? LocalToUtc(DateTime clockTime)
    {
        try
        {
            return local.InstantToUtc(clockTime);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
