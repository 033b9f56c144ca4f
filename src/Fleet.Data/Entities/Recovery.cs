namespace Fleet.Data.Entities;

public class Campaign
{
    public Guid Id { get; set; } = Ids.New();
    [MaxLength(200)]
    public required string Name { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The region that runs the campaign; its cases lie in that region's subtree.</summary>
    public Guid RegionId { get; set; }
    public int RegionCode { get; set; }
}

public class RecoveryCase : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid CampaignId { get; set; }
    public Guid? VehicleId { get; set; }
    [MaxLength(16)]
    public required string PlateNumber { get; set; }
    public Guid UnitId { get; set; }
    public RecoveryReason Reason { get; set; }
    public DateOnly DueOn { get; set; }
    public RecoveryStatus Status { get; set; }
    public DateOnly? RecoveredOn { get; set; }
    public RecoveryDisposition? Disposition { get; set; }
    [MaxLength(1000)]
    public string? CancelReason { get; set; }
    public bool PastDue { get; set; }
    public DateTime OpenedAt { get; set; }
    [MaxLength(64)]
    public required string OpenedBy { get; set; }
    public DateTime? ClosedAt { get; set; }
    [MaxLength(64)]
    public string? ClosedBy { get; set; }
    public int Version { get; set; }
}

/// <summary>Who changed what, when, with the values before and after. Written in the same transaction as the change.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    [MaxLength(64)]
    public required string Actor { get; set; }
    [MaxLength(64)]
    public required string Entity { get; set; }
    public required string EntityId { get; set; }
    [MaxLength(32)]
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    /// <summary>The unit the record belongs to, if it belongs to one: its entries are seen where the unit is.</summary>
    public Guid? UnitId { get; set; }
    /// <summary>The region code of a region's own record (a region, a person at it, its schedules and campaigns).</summary>
    public int? RegionCode { get; set; }
}
