namespace Fleet.Data.Entities;

public class Holiday
{
    public Guid Id { get; set; } = Ids.New();
    [MaxLength(100)]
    public required string Name { get; set; }
    public DateOnly FirstDay { get; set; }
    public DateOnly LastDay { get; set; }
}

public class SealUpSchedule : IVersioned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid HolidayId { get; set; }
    public DateTime SealDeadline { get; set; }
    public DateTime ReleaseAt { get; set; }
    public ScheduleStatus Status { get; set; }
    /// <summary>True when every unit is in scope; otherwise the scope is the schedule's <see cref="SealUpScheduleUnit"/> rows.</summary>
    public bool AllUnits { get; set; } = true;
    /// <summary>The region that published the schedule; it covers units of that region's subtree.</summary>
    public Guid RegionId { get; set; }
    public int RegionCode { get; set; }
    /// <summary>Comma-separated <see cref="VehicleCategory"/> names whose orders are exempted from the start.</summary>
    [MaxLength(200)]
    public string ExemptCategories { get; set; } = "";
    public DateTime PublishedAt { get; set; }
    [MaxLength(64)]
    public required string PublishedBy { get; set; }
    public int Version { get; set; }

    /// <summary>The status follows the clock, so it is right even before the job has caught up.</summary>
    public ScheduleStatus StatusAt(DateTime now) =>
        now >= ReleaseAt ? ScheduleStatus.Closed : now >= SealDeadline ? ScheduleStatus.Active : ScheduleStatus.Published;
}

public class SealUpScheduleUnit
{
    public Guid ScheduleId { get; set; }
    public Guid UnitId { get; set; }
}

public class SealOrder : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ScheduleId { get; set; }
    public Guid VehicleId { get; set; }
    public Guid UnitId { get; set; }
    public SealOrderStatus Status { get; set; }
    [MaxLength(64)]
    public string? SealNumber { get; set; }
    [MaxLength(200)]
    public string? ParkingPlace { get; set; }
    public DateTime? SealedAt { get; set; }
    [MaxLength(64)]
    public string? SealedBy { get; set; }
    public bool Late { get; set; }
    public DateTime? OverdueAt { get; set; }
    public DateTime? BreachedAt { get; set; }
    /// <summary>The spot check that breached the order; a correction of that check restores the seal.</summary>
    public Guid? BreachedBy { get; set; }
    public DateTime? ReleasedAt { get; set; }
    /// <summary>Released before the release time through an approved exemption: counts as exempted, not as sealed on time.</summary>
    public bool ReleasedEarly { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// How many of a schedule's orders of one unit are in one state, on the embedded SQLite database: kept by triggers on
/// SealOrders with every insert, change and delete (in the same statement, so in the same transaction), never written by
/// Fleet. Seal-up compliance reads these few rows per unit there instead of counting a province's million orders. The
/// server databases leave the table empty and count the orders (see the PostgreSQL and SQL Server migrations: shared
/// count rows would serialise concurrent writers there; SQLite has one writer at a time anyway).
/// </summary>
public class SealOrderCount
{
    public Guid ScheduleId { get; set; }
    public Guid UnitId { get; set; }
    public SealOrderStatus Status { get; set; }
    public bool Late { get; set; }
    public bool ReleasedEarly { get; set; }
    public int Orders { get; set; }
}

public class Exemption : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid SealOrderId { get; set; }
    public Guid ScheduleId { get; set; }
    public Guid VehicleId { get; set; }
    public Guid UnitId { get; set; }
    [MaxLength(1000)]
    public required string Reason { get; set; }
    public ExemptionStatus Status { get; set; }
    public DateTime RequestedAt { get; set; }
    [MaxLength(64)]
    public required string RequestedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    [MaxLength(64)]
    public string? DecidedBy { get; set; }
    [MaxLength(1000)]
    public string? DecisionNote { get; set; }
    public int Version { get; set; }
}

/// <summary>An outbox row: one integrity reminder for one unit before one schedule's deadline.</summary>
public class Reminder : IVersioned, IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ScheduleId { get; set; }
    public Guid UnitId { get; set; }
    [MaxLength(1000)]
    public required string Recipients { get; set; }
    [MaxLength(4000)]
    public required string Body { get; set; }
    public int VehicleCount { get; set; }
    public ReminderStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    [MaxLength(2000)]
    public string? LastError { get; set; }
    /// <summary>After a failed attempt, not before this time (back-off).</summary>
    public DateTime? NextAttemptAt { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// One attempt to deliver a reminder over one channel (webhook, SMS) to one recipient: a reminder is sent again only to
/// the channels and recipients without a <see cref="DeliveryStatus.Sent"/> attempt. Kept as the record of what went out.
/// </summary>
public class ReminderDelivery
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ReminderId { get; set; }
    [MaxLength(32)]
    public required string Channel { get; set; }
    [MaxLength(200)]
    public required string Recipient { get; set; }
    public DeliveryStatus Status { get; set; }
    public DateTime AttemptedAt { get; set; }
    [MaxLength(2000)]
    public string? Error { get; set; }
}
