using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Vehicles.Pages;

/// <summary>The register, in the caller's scope (a vehicle administrator sees their unit's cars only), paged on the server.</summary>
public sealed class IndexModel(FleetDbContext db) : WorkspacePage
{
    public sealed record Row(Guid Id, string PlateNumber, string Make, string Model, VehicleCategory Category, decimal EngineDisplacement,
        VehicleSource Source, string UnitName, VehicleStatus Status, bool OverStandard);

    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public VehicleStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    // Not bound: "page" is also Razor Pages' own route value (the page's name).
    private int PageNumber => Math.Max(1, Workspace.Lists.PageOf(Request) ?? 1);

    public Paged<Row> Rows { get; private set; } = new([], 1, 50, 0);

    public async Task OnGetAsync()
    {
        var vehicles = db.Vehicles.AsNoTracking().VisibleTo(Caller).WherePlateContains(v => v.PlateNumber, Plate);
        if (Status is { } status) vehicles = vehicles.Where(v => v.Status == status);
        if (!string.IsNullOrWhiteSpace(Unit) && !Caller.IsUnitBound)
        {
            var code = Unit.Trim();
            vehicles = vehicles.Where(v => db.Units.Any(u => u.Id == v.UnitId && u.Code == code));
        }
        var rows = vehicles.OrderBy(v => v.PlateNumber).Select(v => new Row(v.Id, v.PlateNumber, v.Make, v.Model, v.Category, v.EngineDisplacement,
            v.Source, db.Units.Where(u => u.Id == v.UnitId).Select(u => u.Name).First(), v.Status, v.OverStandard));
        Rows = await new PageQuery(PageNumber, 50).ApplyAsync(rows, HttpContext.RequestAborted);
    }
}
