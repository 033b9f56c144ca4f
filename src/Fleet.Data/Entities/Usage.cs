namespace Fleet.Data.Entities;

/// <summary>
/// A record a car leaves behind outside Fleet, imported from the fuel-card, ETC or GPS/Beidou systems: the proof that a
/// sealed car stayed put, or did not. Imported once (the natural key is unique), never changed.
/// </summary>
public class UsageRecord : IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public UsageKind Kind { get; set; }
    public Guid VehicleId { get; set; }
    [MaxLength(32)]
    public string PlateNumber { get; set; } = "";
    /// <summary>The unit that held the vehicle when the record was imported: reads follow its scope.</summary>
    public Guid UnitId { get; set; }
    /// <summary>The transaction's time (Fuel), the entry (Toll), the start (Trip).</summary>
    public DateTime StartedAt { get; set; }
    /// <summary>The exit (Toll), the end (Trip); the transaction's time again for Fuel.</summary>
    public DateTime EndedAt { get; set; }
    /// <summary>The station (Fuel), the entry station (Toll), the start place (Trip).</summary>
    public string Place { get; set; } = "";
    /// <summary>The exit station (Toll), the end place (Trip).</summary>
    public string? EndPlace { get; set; }
    /// <summary>Litres (Fuel) or kilometres (Trip).</summary>
    public decimal? Quantity { get; set; }
    /// <summary>The amount paid (Fuel) or the fee (Toll), in yuan.</summary>
    public decimal? Amount { get; set; }
    /// <summary>Kind, plate, times and place: the same record imported twice is found by it.</summary>
    public string NaturalKey { get; set; } = "";
    /// <summary>The import that brought it in (its audit entry names the file's SHA-256, the importer and the counts).</summary>
    public Guid? ImportId { get; set; }
    public DateTime ImportedAt { get; set; }
    public string ImportedBy { get; set; } = "";
}

/// <summary>
/// One import of usage records: the file (by SHA-256), who imported it and what it added. Audited once as created, in the
/// transaction that adds its records: a province's ten million trips a month are one entry per file, not one per trip.
/// </summary>
public class UsageImport
{
    public Guid Id { get; set; } = Ids.New();
    public UsageKind Kind { get; set; }
    [MaxLength(260)]
    public string FileName { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public int Rows { get; set; }
    public int Imported { get; set; }
    public int Duplicates { get; set; }
    public DateTime ImportedAt { get; set; }
    [MaxLength(64)]
    public string ImportedBy { get; set; } = "";
}

/// <summary>
/// A usage record listed as evidence of a violation the usage check opened (a record inside a sealed window, or off
/// working hours). Evidence: added, never changed or removed; the key keeps a record listed once per violation.
/// </summary>
public class ViolationUsage
{
    public Guid ViolationId { get; set; }
    public Guid UsageRecordId { get; set; }
}

/// <summary>
/// A photo of a car, a seal or a parking place, uploaded as evidence for a seal order, a spot check or a recovery case.
/// The bytes are kept content-addressed (by <see cref="Sha256"/>) outside the database; never changed or deleted.
/// </summary>
public class Evidence : IUnitOwned
{
    public Guid Id { get; set; } = Ids.New();
    public EvidenceSubject SubjectType { get; set; }
    public Guid SubjectId { get; set; }
    /// <summary>1 to the limit per record: unique with the subject, so two uploads at once cannot pass the limit.</summary>
    public int Number { get; set; }
    /// <summary>The subject's unit: reads follow its scope.</summary>
    public Guid UnitId { get; set; }
    public string Sha256 { get; set; } = "";
    [MaxLength(32)]
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    /// <summary>When the photo was taken, from its EXIF data (UTC), if it says.</summary>
    public DateTime? TakenAt { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public DateTime UploadedAt { get; set; }
    [MaxLength(64)]
    public string UploadedBy { get; set; } = "";
}
