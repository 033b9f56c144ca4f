using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Photos;

/// <summary>
/// Photos as evidence of a seal (its order: the unit's vehicle administrator or an Admin), a spot check or a recovery
/// case (inspectors). Checked in this order, so that a refusal stores nothing: who may attach to the record, the record
/// in the caller's scope, its room for another photo, then the bytes. Never changed or deleted; the upload is audited.
/// Two uploads at once cannot pass the limit: each takes the next number, unique per record in the database.
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
            return Refusal.Conflict($"The record already has {count} photos, the most it may carry.");

        var stored = await store.StoreAsync(photo, LocalToUtc, ct);
        if (stored.Refusal is { } why)
            return stored.RefusedStatus switch
            {
                413 => Refusal.TooLarge("file", why),
                415 => Refusal.Unsupported("file", why),
                _ => Refusal.Invalid("file", why),
            };
        if (await db.Evidence.AnyAsync(e => e.SubjectType == subject && e.SubjectId == subjectId && e.Sha256 == stored.Sha256, ct))
            return Refusal.Conflict("This photo is already attached to the record.");
        var evidence = new Evidence
        {
            SubjectType = subject,
            SubjectId = subjectId,
            Number = count + 1,
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
        return await db.SaveAsync("Another photo was attached to the record at the same moment, or this one already was; read the record's photos and try again.", ct) is { } lost
            ? lost : evidence;
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
        if (unit is null) return Refusal.NotFound(subject switch { EvidenceSubject.SealOrder => "The seal order", EvidenceSubject.SpotCheck => "The spot check", _ => "The recovery case" });
        if (!sealedYet) return Refusal.Conflict("The car is not sealed yet: a seal's photos show the sealed car at its parking place.");
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
