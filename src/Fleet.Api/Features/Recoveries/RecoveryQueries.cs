using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Recoveries;

/// <summary>
/// What a recovery-case list filters by; null is no filter. <paramref name="PastDueOn"/> keeps the cases past due on
/// that local day (as the recovery-overdue job decides it). The API lists oldest first, the workspace
/// <paramref name="NewestFirst"/>.
/// </summary>
public sealed record RecoveryFilter(Guid? CampaignId = null, Guid? UnitId = null, RecoveryStatus? Status = null, string? Plate = null,
    DateOnly? PastDueOn = null, bool NewestFirst = false);

/// <summary>A case as the workspace shows it: its unit's and its campaign's names.</summary>
public sealed record RecoveryRow(RecoveryCase Case, string Unit, string Campaign);

/// <summary>Recovery cases read in the caller's scope: what GET /api/recoveries and the 专项清理 pages show.</summary>
public sealed class RecoveryQueries(FleetDbContext db)
{
    public Task<Paged<RecoveryRow>> ListAsync(Caller caller, RecoveryFilter filter, PageRequest page, CancellationToken ct)
    {
        var cases = Visible(caller);
        if (filter.CampaignId is { } campaignId) cases = cases.Where(r => r.CampaignId == campaignId);
        if (filter.UnitId is { } unitId) cases = cases.Where(r => r.UnitId == unitId);
        if (filter.Status is { } status) cases = cases.Where(r => r.Status == status);
        if (filter.PastDueOn is { } day) cases = cases.Where(RecoveryRules.PastDueOn(day));
        cases = cases.WherePlateContains(r => r.PlateNumber, filter.Plate);
        var ordered = filter.NewestFirst ? cases.OrderByDescending(r => r.OpenedAt).ThenBy(r => r.Id) : cases.OrderBy(r => r.OpenedAt).ThenBy(r => r.Id);
        return page.ApplyAsync(Rows(ordered), ct);
    }

    /// <summary>One case; null when it does not exist or lies outside the caller's scope.</summary>
    public Task<RecoveryRow?> FindAsync(Caller caller, Guid id, CancellationToken ct) =>
        Rows(Visible(caller).Where(r => r.Id == id)).FirstOrDefaultAsync(ct);

    private IQueryable<RecoveryCase> Visible(Caller caller) => db.RecoveryCases.AsNoTracking().VisibleTo(caller);

    private IQueryable<RecoveryRow> Rows(IQueryable<RecoveryCase> cases) => cases.Select(r => new RecoveryRow(
        r,
        db.Units.Where(u => u.Id == r.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
        db.Campaigns.Where(c => c.Id == r.CampaignId).Select(c => c.Name).FirstOrDefault() ?? ""));
}
