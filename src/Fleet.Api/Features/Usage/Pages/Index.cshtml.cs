using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Usage.Pages;

/// <summary>Usage records (fuel, toll, trips), newest first, in the same scope as GET /api/usage (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, UsageQueries queries, LocalTime local, TimeProvider clock) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }

    public IReadOnlyList<UsageListRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];
    public bool MayImport => Caller.Role is Role.Admin or Role.Inspector;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        // A province's records run to ten million a month: without days given, the list holds the last 30.
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To))
            From = DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime)).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var args = Lists.Bind(Lists.Args(Request) with { From = From, To = To }, local, ModelState);
        var filter = new UsageFilter(args.Range, UnitId, Kind: Lists.Parse<UsageKind>(Kind), Plate: Plate);
        var page = await queries.ListAsync(Caller, filter, args.Page, ct);
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
