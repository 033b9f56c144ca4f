using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Vehicles.Pages;

/// <summary>The register, in the caller's scope (a vehicle administrator sees their unit's cars only), paged on the server.</summary>
public sealed class IndexModel(VehicleQueries queries) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public VehicleStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public IReadOnlyList<VehicleRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);

    public async Task OnGetAsync()
    {
        // A page past the end is empty here (the register's pager does not jump back to the last page).
        var page = Lists.Args(Request).PageShown(lastIfBeyond: false);
        var rows = await queries.ListAsync(Caller, new VehicleFilter(UnitCode: Unit, Status: Status, Plate: Plate), page, HttpContext.RequestAborted);
        (Rows, Pager) = (rows.Items, Lists.PagerOf(rows));
    }
}
