using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Usage.Pages;

/// <summary>Usage records (fuel, toll, trips), newest first, in the same scope as GET /api/usage (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, UsageQueries queries, LocalTime local, TimeProvider clock) : ListPage<UsageListRow>(db, local)
{
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    public bool MayImport => Caller.Role is Role.Admin or Role.Inspector;

    public Task OnGetAsync(CancellationToken ct)
    {
        // A province's records run to ten million a month: without days given, the list holds the last 30.
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To))
            From = DateOnly.FromDateTime(Local.ToLocal(clock.GetUtcNow().UtcDateTime)).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return ListAsync(args => queries.ListAsync(Caller, new UsageFilter(args.Range, UnitId, Kind: Lists.Parse<UsageKind>(Kind), Plate: Plate), args.Page, ct), ct);
    }
}
