namespace Fleet.Data.Entities;

/// <summary>Evidence: never edited or deleted; a correction is a new check naming the one it corrects.</summary>
public class SpotCheck : IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid? VehicleId { get; set; }
    [MaxLength(16)]
    public required string PlateNumber { get; set; }
    public Guid UnitId { get; set; }
    public DateTime CheckedAt { get; set; }
    [MaxLength(200)]
    public required string Location { get; set; }
    public SpotCheckFinding Finding { get; set; }
    [MaxLength(2000)]
    public string? Notes { get; set; }
    public Guid? CorrectsId { get; set; }
    public Guid? ViolationId { get; set; }
    public DateTime RecordedAt { get; set; }
    [MaxLength(64)]
    public required string RecordedBy { get; set; }
}

/// <summary>Which check corrected which: one row per corrected check, so a check is corrected once. Evidence, like the checks.</summary>
public class SpotCheckCorrection
{
    public Guid CorrectedId { get; set; }
    public Guid CorrectionId { get; set; }
}

public class Violation : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public ViolationType Type { get; set; }
    public Guid? VehicleId { get; set; }
    [MaxLength(16)]
    public string? PlateNumber { get; set; }
    public Guid UnitId { get; set; }
    public DateTime DetectedAt { get; set; }
    public ViolationSource Source { get; set; }
    public Guid? SourceId { get; set; }
    /// <summary>Unique when set: keeps a violation opened by a rule or a job from being opened twice.</summary>
    [MaxLength(120)]
    public string? DedupKey { get; set; }
    public ViolationStatus Status { get; set; }
    [MaxLength(2000)]
    public string? Notes { get; set; }
    public DateTime? ClosedAt { get; set; }
    [MaxLength(64)]
    public string? ClosedBy { get; set; }
    [MaxLength(1000)]
    public string? CloseReason { get; set; }
    [MaxLength(64)]
    public string? RecordedBy { get; set; }
    public int Version { get; set; }
}

/// <summary>An action taken against a person over a violation. Evidence: never edited or deleted.</summary>
public class PersonAction
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ViolationId { get; set; }
    [MaxLength(100)]
    public required string PersonName { get; set; }
    [MaxLength(100)]
    public required string Position { get; set; }
    public PersonActionKind Action { get; set; }
    [MaxLength(2000)]
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    [MaxLength(64)]
    public required string RecordedBy { get; set; }
}
