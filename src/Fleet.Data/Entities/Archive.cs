namespace Fleet.Data.Entities;

/// <summary>
/// A report made for a closed month and kept as it was made: the file lies in the archive directory under its SHA-256,
/// and this record says which report, for which filters, when and by whom. Never changed or deleted.
/// </summary>
public class ArchivedReport
{
    public Guid Id { get; set; } = Ids.New();

    /// <summary>The local month the report covers, "yyyy-MM".</summary>
    [MaxLength(7)]
    public required string Month { get; set; }

    /// <summary>The report's name as in its URL: violations, spot-checks, recovery-rates, sealup-compliance.</summary>
    [MaxLength(32)]
    public required string Report { get; set; }

    /// <summary>What tells several files of one report in one month apart (the schedule's id for compliance); empty otherwise.</summary>
    [MaxLength(64)]
    public required string Subject { get; set; }

    /// <summary>The query the report was made with, as JSON ({"from":"2026-10-01","to":"2026-10-31"}).</summary>
    [MaxLength(1000)]
    public required string Filters { get; set; }

    [MaxLength(200)]
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    /// <summary>The region whose subtree the report covers.</summary>
    public Guid RegionId { get; set; }
    public int RegionCode { get; set; }
    public DateTime CreatedAt { get; set; }
    [MaxLength(64)]
    public required string CreatedBy { get; set; }
}
