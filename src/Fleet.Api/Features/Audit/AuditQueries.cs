namespace Fleet.Api.Features.Audit;

/// <summary>
/// What an audit list filters by; null or blank is no filter. The range is [From, To) in UTC; an entity id matches
/// as given or in lower case (ids are stored so), an actor as trimmed.
/// </summary>
public sealed record AuditFilter(TimeRange? Range = null, string? Entity = null, string? EntityId = null, string? Actor = null, string? Action = null);

/// <summary>The audit trail: what GET /api/audit and the 审计日志 page show.</summary>
public sealed class AuditQueries(FleetDbContext db)
{
    /// <summary>
    /// Newest first. The trail is read whole by the roles allowed to read it (Admin, Auditor), so no scope narrows it
    /// today; the caller is taken so that a scope, when one comes, is applied here and nowhere else.
    /// </summary>
    public Task<Paged<AuditEntry>> ListAsync(Caller caller, AuditFilter filter, PageRequest page, CancellationToken ct)
    {
        _ = caller;
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Entity)) entries = entries.Where(a => a.Entity == filter.Entity);
        if (!string.IsNullOrWhiteSpace(filter.EntityId)) entries = entries.Where(a => a.EntityId == filter.EntityId.ToLowerInvariant() || a.EntityId == filter.EntityId);
        if (!string.IsNullOrWhiteSpace(filter.Actor)) entries = entries.Where(a => a.Actor == filter.Actor.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) entries = entries.Where(a => a.Action == filter.Action);
        entries = entries.Within(filter.Range, a => a.At);
        return page.ApplyAsync(entries.OrderByDescending(a => a.Id), ct);
    }
}
