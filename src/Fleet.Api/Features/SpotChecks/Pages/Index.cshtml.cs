using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SpotChecks.Pages;

/// <summary>The spot-check log, read through the same scope as GET /api/spot-checks, newest first.</summary>
[Authorize(Roles = "Admin,Inspector,Auditor")]
public sealed class IndexModel(FleetDbContext db, LocalTime local) : WorkspacePage
{
    public sealed record Row(SpotCheck Check, Guid? CorrectedBy, string Unit);

    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Finding { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
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
        var checks = db.SpotChecks.AsNoTracking().VisibleTo(Caller);
        if (Lists.Parse<SpotCheckFinding>(Finding) is { } finding) checks = checks.Where(s => s.Finding == finding);
        if (UnitId is not null) checks = checks.Where(s => s.UnitId == UnitId);
        checks = checks.WherePlateContains(s => s.PlateNumber, Plate);
        if (range.From is not null) checks = checks.Where(s => s.CheckedAt >= range.From);
        if (range.To is not null) checks = checks.Where(s => s.CheckedAt < range.To);
        var query = checks.OrderByDescending(s => s.CheckedAt).ThenBy(s => s.Id).Select(s => new
        {
            Check = s,
            CorrectedBy = db.SpotCheckCorrections.Where(c => c.CorrectedId == s.Id).Select(c => (Guid?)c.CorrectionId).FirstOrDefault(),
            Unit = db.Units.Where(u => u.Id == s.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
        });
        var (items, pager) = await Lists.PageAsync(query, PageNumber, ct);
        Rows = items.Select(x => new Row(x.Check, x.CorrectedBy, x.Unit)).ToList();
        Pager = pager;
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
