namespace Fleet.Data.Entities;

public class Vehicle : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    [MaxLength(16)]
    public required string PlateNumber { get; set; }
    public required string Vin { get; set; }
    [MaxLength(64)]
    public required string Make { get; set; }
    [MaxLength(64)]
    public required string Model { get; set; }
    public VehicleCategory Category { get; set; }
    /// <summary>Litres; 0 for an electric vehicle.</summary>
    public decimal EngineDisplacement { get; set; }
    /// <summary>Yuan.</summary>
    public decimal PurchasePrice { get; set; }
    public DateOnly AcquiredOn { get; set; }
    public VehicleSource Source { get; set; }
    public Guid UnitId { get; set; }
    public VehicleStatus Status { get; set; }
    public bool OverStandard { get; set; }
    public DateTime RegisteredAt { get; set; }
    public DateTime? DisposedAt { get; set; }
    [MaxLength(500)]
    public string? DisposalReason { get; set; }
    public int Version { get; set; }
    /// <summary>
    /// The number of the fuel card issued to the car (one car, one card), by which fuel-card transactions that name no
    /// plate are matched to it; unique among vehicles.
    /// </summary>
    [MaxLength(32)]
    public string? FuelCardNumber { get; set; }
}
