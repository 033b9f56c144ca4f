using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Data.Auditing;

/// <summary>
/// Writes an <see cref="AuditEntry"/> for every tracked change in the same SaveChanges (so the same transaction),
/// bumps <see cref="IVersioned.Version"/>, and refuses to alter evidence.
/// </summary>
public sealed class AuditInterceptor(IAuditActor actor, TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Immutable = [typeof(AuditEntry), typeof(SpotCheck), typeof(SpotCheckCorrection), typeof(PersonAction), typeof(ArchivedReport), typeof(UsageRecord), typeof(UsageImport), typeof(ViolationUsage), typeof(Evidence), typeof(ReminderDelivery)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var actions = (context as FleetDbContext)?.AuditActions;
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        foreach (var entry in entries)
        {
            // The audit log itself, and the sign-in throttle's bookkeeping (a log of its own, which a stranger could flood), are not audited.
            if (entry.Entity is SignInAttempt or IdempotentRequest || (entry.Entity is AuditEntry && entry.State == EntityState.Added)) continue;
            if (Immutable.Contains(entry.Metadata.ClrType) && entry.State != EntityState.Added)
                throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} records are evidence and are never changed or deleted.");

            if (entry.State == EntityState.Modified && entry.Entity is IVersioned versioned)
                versioned.Version = (int)entry.Property(nameof(IVersioned.Version)).OriginalValue! + 1;

            var action = actions is not null && actions.TryGetValue(entry.Entity, out var named)
                ? named
                : entry.State switch { EntityState.Added => "Create", EntityState.Deleted => "Delete", _ => "Update" };
            context.Add(new AuditEntry
            {
                At = now,
                Actor = actor.Name,
                Entity = entry.Metadata.ClrType.Name,
                EntityId = KeyOf(entry),
                Action = action,
                Before = entry.State == EntityState.Added ? null : AuditShape.Of(entry, original: true),
                After = entry.State == EntityState.Deleted ? null : AuditShape.Of(entry, original: false),
                UnitId = UnitOf(context, entry.Entity),
                RegionCode = RegionOf(entry.Entity),
            });
        }
        actions?.Clear();
    }

    /// <summary>The unit whose subtree sees the entry: the record's own unit (an action's, its violation's).</summary>
    public static Guid? UnitOf(DbContext context, object entity) => entity switch
    {
        IUnitOwned owned => owned.UnitId,
        Unit unit => unit.Id,
        User user => user.UnitId,
        SealUpScheduleUnit member => member.UnitId,
        PersonAction action => context.ChangeTracker.Entries<Violation>().FirstOrDefault(v => v.Entity.Id == action.ViolationId)?.Entity.UnitId
            ?? context.Set<Violation>().IgnoreQueryFilters().Where(v => v.Id == action.ViolationId).Select(v => (Guid?)v.UnitId).FirstOrDefault(),
        _ => null,
    };

    /// <summary>The region whose subtree sees a region's own record.</summary>
    public static int? RegionOf(object entity) => entity switch
    {
        Region region => region.Code,
        Unit unit => unit.RegionCode,
        User user => user.RegionCode,
        SealUpSchedule schedule => schedule.RegionCode,
        Campaign campaign => campaign.RegionCode,
        ArchivedReport report => report.RegionCode,
        _ => null,
    };

    private static string KeyOf(EntityEntry entry) =>
        AuditShape.EntityId(entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));
}
