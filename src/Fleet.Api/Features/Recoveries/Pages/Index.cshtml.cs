using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Recoveries.Pages;

/// <summary>
/// 专项清理: each campaign's figures (RecoveryRates, in the caller's scope) and the cases, read as GET /api/recoveries
/// reads them (a VehicleAdmin: their unit's). An Admin creates campaigns here.
/// </summary>
public sealed class IndexModel(FleetDbContext db, RecoveryRules rules, IValidator<CampaignEndpoints.Request> campaignValidator,
    LocalTime local, TimeProvider clock) : WorkspacePage
{
    public sealed record CampaignRow(Campaign Campaign, Rates Rates);

    public sealed record Row(RecoveryCase Case, string Unit, string Campaign);

    [BindProperty(SupportsGet = true)] public Guid? CampaignId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    /// <summary>?page= read by hand: "page" is also the route value naming the page, which binding would take first.</summary>
    public int? PageNumber => Lists.PageOf(Request);

    [BindProperty] public CampaignEndpoints.Request NewCampaign { get; set; } = new(null, null, null);

    public List<CampaignRow> Campaigns { get; private set; } = [];
    public Rates? Overall { get; private set; }
    public List<Row> Rows { get; private set; } = [];
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

        var cases = db.RecoveryCases.AsNoTracking().VisibleTo(Caller);
        if (CampaignId is not null) cases = cases.Where(r => r.CampaignId == CampaignId);
        if (Lists.Parse<RecoveryStatus>(Status) is { } status) cases = cases.Where(r => r.Status == status);
        if (UnitId is not null) cases = cases.Where(r => r.UnitId == UnitId);
        // Past due as the recovery-overdue job decides it: open, due before today (local calendar).
        var today = Today;
        if (Overdue) cases = cases.Where(RecoveryRules.PastDueOn(today));
        cases = cases.WherePlateContains(r => r.PlateNumber, Plate);
        var query = cases.OrderByDescending(r => r.OpenedAt).ThenBy(r => r.Id).Select(r => new
        {
            Case = r,
            Unit = db.Units.Where(u => u.Id == r.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
            Campaign = db.Campaigns.Where(c => c.Id == r.CampaignId).Select(c => c.Name).FirstOrDefault() ?? "",
        });
        var (items, pager) = await Lists.PageAsync(query, PageNumber, ct);
        Rows = items.Select(x => new Row(x.Case, x.Unit, x.Campaign)).ToList();
        Pager = pager;
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
