using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> b)
    {
        b.Property(v => v.Vin).HasMaxLength(17).IsFixedLength(false);
        b.Property(v => v.EngineDisplacement).HasPrecision(5, 2);
        b.HasIndex(v => v.PlateNumber).IsUnique();
        b.HasIndex(v => v.Vin).IsUnique();
        // One car, one card (cars without one are not counted: NULLs never clash).
        b.HasIndex(v => v.FuelCardNumber).IsUnique();
        b.HasIndex(v => new { v.UnitId, v.Status });
        b.HasIndex(v => v.Status);
        b.HasOne<Unit>().WithMany().HasForeignKey(v => v.UnitId).OnDelete(DeleteBehavior.Restrict);
        // The SQLite triggers that keep VehicleCounts (written in the migration UnitCounts).
        b.ToTable(t => t.HasTrigger(CountTrigger));
    }

    public const string CountTrigger = "Vehicles_Counts";
}
