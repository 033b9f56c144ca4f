using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Recoveries.Pages;

/// <summary>
/// 专项清理: each campaign's figures (RecoveryRates, in the caller's scope) and the cases, read as GET /api/recoveries
/// reads them (a VehicleAdmin: their unit's). An Admin creates campaigns here.
/// </summary>
public sealed class IndexModel(FleetDbContext db, RecoveryQueries queries, RecoveryRules rules, IValidator<CampaignEndpoints.Request> campaignValidator,
    LocalTime local, TimeProvider clock) : WorkspacePage
{
    public sealed record CampaignRow(Campaign Campaign, Rates Rates);

    [BindProperty(SupportsGet = true)] public Guid? CampaignId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }

    [BindProperty] public CampaignEndpoints.Request NewCampaign { get; set; } = new(null, null, null);

    public List<CampaignRow> Campaigns { get; private set; } = [];
    public Rates? Overall { get; private set; }
    public IReadOnlyList<RecoveryRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];
    public DateOnly Today => DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime));

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCampaignAsync(CancellationToken ct)
    {
        if (await ValidAsync(campaignValidator, NewCampaign, "NewCampaign") &&
            Done((await rules.CreateCampaignAsync(Caller, NewCampaign.Name!, NewCampaign.StartsOn!.Value, NewCampaign.EndsOn!.Value, ct)), "NewCampaign"))
            return Back($"已创建专项清理“{NewCampaign.Name!.Trim()}”。", "/recoveries");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.StartsOn).ThenBy(c => c.Name).ToListAsync(ct);
        foreach (var campaign in campaigns)
            Campaigns.Add(new CampaignRow(campaign, await RecoveryRates.ComputeAsync(db, campaign.Id, Caller, ct)));
        Overall = await RecoveryRates.ComputeAsync(db, null, Caller, ct);

        // Past due as the recovery-overdue job decides it: open, due before today (local calendar).
        var filter = new RecoveryFilter(CampaignId, UnitId, Lists.Parse<RecoveryStatus>(Status), Plate, Overdue ? Today : null, NewestFirst: true);
        var page = await queries.ListAsync(Caller, filter, Lists.Args(Request).PageShown(), ct);
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
