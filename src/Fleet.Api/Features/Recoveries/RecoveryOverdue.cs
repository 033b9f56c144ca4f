using Fleet.Api.Features.Jobs;
using Hangfire;

namespace Fleet.Api.Features.Recoveries;

/// <summary>
/// Flags open recovery cases past their due date: runs <see cref="RecoveryRules.MarkPastDueAsync"/>, which holds what
/// "past due" means and writes the audit entries. Level-triggered: flags only what is not flagged yet.
/// </summary>
/// <remarks>
/// Moved from Fleet.Api.Features.Jobs: Hangfire stores a job's type by name. The recurring job (id <see cref="Id"/>) is
/// re-registered at start and picks up this type; a run queued by an older release under the old name fails to
/// deserialize (delete it; the next daily run does the same work).
/// </remarks>
public sealed class RecoveryOverdue(RecoveryRules rules)
{
    public const string Id = "recovery-overdue";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        await rules.MarkPastDueAsync(ct);
    }
}

/// <summary>The recoveries area's jobs.</summary>
public static class RecoveryJobs
{
    public static IServiceCollection AddRecoveryJobs(this IServiceCollection services) =>
        services.AddFleetJob<RecoveryOverdue>(RecoveryOverdue.Id,
            new JobText("逾期追缴标记", "把超过追缴期限仍未办结的追缴案件标为逾期，供纪检监察和审计跟进。"), o => o.RecoveryOverdueCron, j => j.RunAsync(CancellationToken.None), "recovery-overdue");
}
