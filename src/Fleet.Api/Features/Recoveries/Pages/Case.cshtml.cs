using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Recoveries.Pages;

/// <summary>One recovery case; an Inspector records 收回 (date + 处置方式) or 撤销 (reason) through RecoveryRules.</summary>
public sealed class CaseModel(FleetDbContext db, RecoveryQueries queries, RecoveryRules rules, IValidator<RecoveryEndpoints.RecoverRequest> recoverValidator,
    IValidator<RecoveryEndpoints.CancelRequest> cancelValidator, LocalTime local, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Features.Photos.EvidenceOptions> photoLimits) : WorkspacePage
{
    public RecoveryCase Case { get; private set; } = null!;
    public string Unit { get; private set; } = "";
    public string Campaign { get; private set; } = "";
    public Features.Photos.PhotoPanel Photos { get; private set; } = null!;
    public bool MayAct => Caller.Role == Role.Inspector;
    public DateOnly Today => DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime));

    [BindProperty] public RecoveryEndpoints.RecoverRequest Recover { get; set; } = new(null, null);
    [BindProperty] public RecoveryEndpoints.CancelRequest Cancel { get; set; } = new(null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        Recover = Recover with { RecoveredOn = Today };
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRecoverAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (await ValidAsync(recoverValidator, Recover, "Recover") &&
            Done((await rules.RecoverAsync(Caller, id, Recover.RecoveredOn!.Value, Recover.Disposition!.Value, ct)), "Recover"))
            return Back($"已登记收回：{Case.PlateNumber}。", $"/recoveries/{id}");
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (await ValidAsync(cancelValidator, Cancel, "Cancel") &&
            Done((await rules.CancelAsync(Caller, id, Cancel.Reason!, ct)), "Cancel"))
            return Back($"已撤销 {Case.PlateNumber} 的收回案件。", $"/recoveries/{id}");
        return Page();
    }

    public string When(DateTime utc) => local.Local(utc);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await queries.FindAsync(Caller, id, ct) is not { } found) return false;
        (Case, Unit, Campaign) = (found.Case, found.Unit, found.Campaign);
        Photos = await Features.Photos.PhotoPanel.LoadAsync(db, Caller, EvidenceSubject.RecoveryCase, id, MayAct, photoLimits.Value, $"/recoveries/{id}", ct);
        return true;
    }
}
