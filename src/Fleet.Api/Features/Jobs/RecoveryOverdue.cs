using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Jobs;

/// <summary>Flags open recovery cases past their due date (local calendar). Level-triggered: flags only what is not flagged yet.</summary>
public sealed class RecoveryOverdue(FleetDbContext db, Fleet.Data.Auditing.IAuditActor actor, LocalTime local, TimeProvider clock)
{
    public const string Id = "recovery-overdue";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        await SetBased.RetryRacesAsync(db, () => MarkAsync(ct), ct);
    }

    private async Task MarkAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(local.ToLocal(now));
        await using var transaction = await SetBased.BeginStableAsync(db, ct);
        var due = db.RecoveryCases.Where(r => r.Status == RecoveryStatus.Open && !r.PastDue && r.DueOn < today);
        // The audit entries first, from the very rows the update will touch, in the same transaction.
        var rows = await due.Select(r => new { r.Id, r.Version }).ToListAsync(ct);
        foreach (var chunk in rows.Chunk(1000))
        {
            db.AuditEntries.AddRange(chunk.Select(r => new AuditEntry
            {
                At = now,
                Actor = actor.Name,
                Entity = nameof(RecoveryCase),
                EntityId = r.Id.ToString(),
                Action = "PastDue",
                Before = $"{{\"pastDue\":false,\"version\":{r.Version}}}",
                After = $"{{\"pastDue\":true,\"version\":{r.Version + 1}}}",
            }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await due.ExecuteUpdateAsync(s => s.SetProperty(r => r.PastDue, true).SetProperty(r => r.Version, r => r.Version + 1), ct);
        await transaction.CommitAsync(ct);
    }
}
