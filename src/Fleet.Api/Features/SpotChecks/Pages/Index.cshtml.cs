using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SpotChecks.Pages;

/// <summary>The spot-check log, read through the same scope as GET /api/spot-checks, newest first.</summary>
[Authorize(Roles = "Admin,Inspector,Auditor")]
public sealed class IndexModel(FleetDbContext db, SpotCheckQueries queries, LocalTime local) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Finding { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }

    public IReadOnlyList<SpotCheckRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var args = Lists.Bind(Lists.Args(Request), local, ModelState);
        var filter = new SpotCheckFilter(args.Range, UnitId, Finding: Lists.Parse<SpotCheckFinding>(Finding), Plate: Plate);
        var page = await queries.ListAsync(Caller, filter, args.Page, ct);
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
