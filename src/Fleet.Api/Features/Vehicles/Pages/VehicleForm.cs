using Fleet.Api.Features.Workspace;

namespace Fleet.Api.Features.Vehicles.Pages;

/// <summary>A vehicle's fields as the register and edit forms post them; the unit is named by its code.</summary>
public sealed class VehicleForm
{
    public string? PlateNumber { get; set; }
    public string? Vin { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    public VehicleCategory? Category { get; set; }
    public decimal? EngineDisplacement { get; set; }
    public decimal? PurchasePrice { get; set; }
    public DateOnly? AcquiredOn { get; set; }
    public VehicleSource? Source { get; set; }
    public string? UnitCode { get; set; }
    public string? FuelCardNumber { get; set; }
    public int Version { get; set; }

    public static VehicleForm From(Vehicle v, string unitCode) => new()
    {
        PlateNumber = v.PlateNumber,
        Vin = v.Vin,
        Make = v.Make,
        Model = v.Model,
        Category = v.Category,
        EngineDisplacement = v.EngineDisplacement,
        PurchasePrice = v.PurchasePrice,
        AcquiredOn = v.AcquiredOn,
        Source = v.Source,
        UnitCode = unitCode,
        FuelCardNumber = v.FuelCardNumber,
        Version = v.Version,
    };

    /// <summary>The API's request: a vehicle administrator's cars are always their own unit's.</summary>
    public async Task<VehicleRequest> RequestAsync(FleetDbContext db, Caller caller, CancellationToken ct)
    {
        var unit = caller.IsUnitBound ? caller.UnitId : await VehicleRules.UnitOfCodeAsync(db, PlainText.Halfwidth(UnitCode).Trim(), ct);
        // The form always states the card: left empty, the car has none.
        return new VehicleRequest(PlateNumber, Vin, Make, Model, Category, EngineDisplacement, PurchasePrice, AcquiredOn, Source, unit, FuelCardNumber ?? "");
    }
}

/// <summary>Register and edit share the form and its checks.</summary>
public abstract class VehicleFormPage(FleetDbContext db, FluentValidation.IValidator<VehicleRequest> validator) : WorkspacePage
{
    [Microsoft.AspNetCore.Mvc.BindProperty] public VehicleForm Input { get; set; } = new();

    protected FleetDbContext Db => db;

    /// <summary>The request when the form passes the API's validator; null (with the errors shown) otherwise.</summary>
    protected async Task<VehicleRequest?> CheckedAsync()
    {
        if (!ModelState.IsValid) return null;
        var request = await Input.RequestAsync(db, Caller, HttpContext.RequestAborted);
        if (!Caller.IsUnitBound && request.UnitId is null && !string.IsNullOrWhiteSpace(Input.UnitCode))
        {
            Done<VehicleRequest>(VehicleRules.NoUnitWithCode(PlainText.Halfwidth(Input.UnitCode).Trim()));
            return null;
        }
        if (!await ValidAsync(validator, request)) return null;
        return request;
    }
}
