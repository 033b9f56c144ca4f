using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Violations.Pages;

/// <summary>Violations, newest first, read through the same scope as GET /api/violations (a VehicleAdmin: their unit only).</summary>
public sealed class IndexModel(FleetDbContext db, LocalTime local) : WorkspacePage
{
    public sealed record Row(Violation Violation, string Unit, int Actions);

    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    /// <summary>?page= read by hand: "page" is also the route value naming the page, which binding would take first.</summary>
    public int? PageNumber => Lists.PageOf(Request);

    public List<Row> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var range = Lists.Range(local, From, To, out var dateError);
        if (dateError is not null) ModelState.AddModelError("", dateError);
        var violations = db.Violations.AsNoTracking().VisibleTo(Caller);
        if (Lists.Parse<ViolationType>(Type) is { } type) violations = violations.Where(v => v.Type == type);
        if (Lists.Parse<ViolationStatus>(Status) is { } status) violations = violations.Where(v => v.Status == status);
        if (Lists.Parse<ViolationSource>(Source) is { } source) violations = violations.Where(v => v.Source == source);
        if (UnitId is not null) violations = violations.Where(v => v.UnitId == UnitId);
        violations = violations.WherePlateContains(v => v.PlateNumber, Plate);
        if (range.From is not null) violations = violations.Where(v => v.DetectedAt >= range.From);
        if (range.To is not null) violations = violations.Where(v => v.DetectedAt < range.To);
        var query = violations.OrderByDescending(v => v.DetectedAt).ThenBy(v => v.Id).Select(v => new
        {
            Violation = v,
            Unit = db.Units.Where(u => u.Id == v.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
            Actions = db.PersonActions.Count(a => a.ViolationId == v.Id),
        });
        var (items, pager) = await Lists.PageAsync(query, PageNumber, ct);
        Rows = items.Select(x => new Row(x.Violation, x.Unit, x.Actions)).ToList();
        Pager = pager;
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
