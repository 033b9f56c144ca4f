using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Violations.Pages;

/// <summary>Violations, newest first, read through the same scope as GET /api/violations (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, ViolationQueries queries, LocalTime local) : ListPage<ViolationRow>(db, local)
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }

    public Task OnGetAsync(CancellationToken ct) => ListAsync(args => queries.ListAsync(Caller, new ViolationFilter(args.Range, UnitId,
        Lists.Parse<ViolationType>(Type), Lists.Parse<ViolationStatus>(Status), Lists.Parse<ViolationSource>(Source), Plate), args.Page, ct), ct);
}
