using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Violations.Pages;

/// <summary>Violations, newest first, read through the same scope as GET /api/violations (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, ViolationQueries queries, LocalTime local) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }

    public IReadOnlyList<ViolationRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var args = Lists.Bind(Lists.Args(Request), local, ModelState);
        var filter = new ViolationFilter(args.Range, UnitId, Lists.Parse<ViolationType>(Type), Lists.Parse<ViolationStatus>(Status),
            Lists.Parse<ViolationSource>(Source), Plate);
        var page = await queries.ListAsync(Caller, filter, args.Page, ct);
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
