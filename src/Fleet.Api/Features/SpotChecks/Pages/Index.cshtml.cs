using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SpotChecks.Pages;

/// <summary>The spot-check log, read through the same scope as GET /api/spot-checks, newest first.</summary>
[Authorize(Roles = "Admin,Inspector,Auditor")]
public sealed class IndexModel(FleetDbContext db, SpotCheckQueries queries, LocalTime local) : ListPage<SpotCheckRow>(db, local)
{
    [BindProperty(SupportsGet = true)] public string? Finding { get; set; }

    public Task OnGetAsync(CancellationToken ct) => ListAsync(args => queries.ListAsync(Caller,
        new SpotCheckFilter(args.Range, UnitId, Finding: Lists.Parse<SpotCheckFinding>(Finding), Plate: Plate), args.Page, ct), ct);
}
