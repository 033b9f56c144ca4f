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
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }
}
