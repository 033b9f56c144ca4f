using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SpotChecks.Pages;

/// <summary>One check, what it led to, and what corrected it (or what it corrects).</summary>
[Authorize(Roles = "Admin,Inspector,Auditor")]
public sealed class DetailModel(FleetDbContext db, SpotCheckQueries queries, Microsoft.Extensions.Options.IOptions<Photos.EvidenceOptions> photoLimits) : WorkspacePage
{
    public SpotCheck Check { get; private set; } = null!;
    public string Unit { get; private set; } = "";
    public Guid? CorrectedBy { get; private set; }
    public Violation? Violation { get; private set; }
    public Photos.PhotoPanel Photos { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.FindAsync(Caller, id, ct) is not { } row) return NotFound();
        (Check, CorrectedBy, Unit) = (row.Check, row.CorrectedBy, row.Unit);
        var check = row.Check;
        if (check.ViolationId is { } violationId)
            Violation = await db.Violations.AsNoTracking().FirstOrDefaultAsync(v => v.Id == violationId, ct);
        Photos = await Features.Photos.PhotoPanel.LoadAsync(db, Caller, EvidenceSubject.SpotCheck, id, Caller.Role == Role.Inspector,
            photoLimits.Value, $"/spot-checks/{id}", ct);
        return Page();
    }
}
