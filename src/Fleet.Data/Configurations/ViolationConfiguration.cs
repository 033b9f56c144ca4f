using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ViolationConfiguration : IEntityTypeConfiguration<Violation>
{
    public void Configure(EntityTypeBuilder<Violation> b)
    {
        b.HasIndex(v => v.DedupKey).IsUnique();
        b.HasIndex(v => v.DetectedAt);
        b.HasIndex(v => new { v.UnitId, v.DetectedAt });
        b.HasIndex(v => v.VehicleId);
        // The roll-ups and the tallies read the violations per unit by state, age and type from this index alone, the id
        // included: a unit's old open violations are tested for an action without reading their rows.
        b.HasIndex(v => new { v.UnitId, v.Status, v.DetectedAt, v.Type, v.Id });
        b.HasOne<Vehicle>().WithMany().HasForeignKey(v => v.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(v => v.UnitId).OnDelete(DeleteBehavior.Restrict);
        // The SQLite triggers that keep ViolationCounts (written in the migration UnitCounts).
        b.ToTable(t => t.HasTrigger(CountTrigger));
    }

    public const string CountTrigger = "Violations_Counts";
}
