using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Recoveries.Pages;

/// <summary>Opens a recovery case (认定) through RecoveryRules.OpenAsync, with the validator of POST /api/recoveries.</summary>
[Authorize(Roles = "Inspector")]
public sealed class NewModel(FleetDbContext db, RecoveryRules rules, IValidator<RecoveryEndpoints.OpenRequest> validator) : WorkspacePage
{
    [BindProperty]
    public RecoveryEndpoints.OpenRequest Input { get; set; } = new(null, null, null, null, null, null);

    public List<Campaign> Campaigns { get; private set; } = [];
    public List<UnitOption> Units { get; private set; } = [];

    /// <summary>Prefilled from a violation (plate, unit) when opened from one.</summary>
    public async Task OnGetAsync(string? plate, Guid? unitId, CancellationToken ct)
    {
        await LoadAsync(ct);
        var campaign = Campaigns.LastOrDefault();
        Input = Input with { PlateNumber = plate, UnitId = unitId, CampaignId = campaign?.Id, DueOn = campaign?.EndsOn };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await ValidAsync(validator, Input))
        {
            var outcome = await rules.OpenAsync(Caller, new OpenCase(Input.CampaignId!.Value, Input.VehicleId, Input.PlateNumber, Input.UnitId!.Value,
                Input.Reason!.Value, Input.DueOn!.Value), ct);
            if (Done(outcome))
                return Back($"已认定收回案件：{outcome.Value!.PlateNumber}。", $"/recoveries/{outcome.Value.Id}");
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.StartsOn).ThenBy(c => c.Name).ToListAsync(ct);
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
