using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Usage.Pages;

/// <summary>Usage records (fuel, toll, trips), newest first, in the same scope as GET /api/usage (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, LocalTime local, TimeProvider clock) : WorkspacePage
{
    public sealed record Row(UsageRecord Record, string Unit);

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    public int? PageNumber => Lists.PageOf(Request);

    public List<Row> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];
    public bool MayImport => Caller.Role is Role.Admin or Role.Inspector;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        // A province's records run to ten million a month: without days given, the list holds the last 30.
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To))
            From = DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime)).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var range = Lists.Range(local, From, To, out var dateError);
        if (dateError is not null) ModelState.AddModelError("", dateError);
        var records = db.UsageRecords.AsNoTracking().VisibleTo(Caller);
        if (Lists.Parse<UsageKind>(Kind) is { } kind) records = records.Where(u => u.Kind == kind);
        if (UnitId is not null) records = records.Where(u => u.UnitId == UnitId);
        records = records.WherePlateContains(u => u.PlateNumber, Plate);
        if (range.From is not null) records = records.Where(u => u.StartedAt >= range.From);
        if (range.To is not null) records = records.Where(u => u.StartedAt < range.To);
        var query = records.OrderByDescending(u => u.StartedAt).ThenBy(u => u.Id).Select(u => new
        {
            Record = u,
            Unit = db.Units.Where(x => x.Id == u.UnitId).Select(x => x.Name).FirstOrDefault() ?? "",
        });
        var (items, pager) = await Lists.PageAsync(query, PageNumber, ct);
        Rows = items.Select(x => new Row(x.Record, x.Unit)).ToList();
        Pager = pager;
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
