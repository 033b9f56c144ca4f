namespace Fleet.Data.Entities;

public class Unit : IVersioned
{
    public Guid Id { get; set; } = Ids.New();
    [MaxLength(32)]
    public required string Code { get; set; }
    [MaxLength(200)]
    public required string Name { get; set; }
    public UnitKind Kind { get; set; }
    public Guid? ParentId { get; set; }
    public int VehicleQuota { get; set; }
    /// <summary>The region that governs the unit.</summary>
    public Guid RegionId { get; set; }
    /// <summary>The region's code, copied: a subtree's units are one range of it.</summary>
    public int RegionCode { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }
}
