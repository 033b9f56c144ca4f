using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class SpotCheckConfiguration : IEntityTypeConfiguration<SpotCheck>
{
    public void Configure(EntityTypeBuilder<SpotCheck> b)
    {
        b.Property(s => s.PlateNumber).HasMaxLength(16);
        b.Property(s => s.Location).HasMaxLength(200);
        b.Property(s => s.Notes).HasMaxLength(2000);
        b.Property(s => s.RecordedBy).HasMaxLength(64);
        b.HasIndex(s => s.CheckedAt);
        b.HasIndex(s => new { s.UnitId, s.CheckedAt });
        b.HasIndex(s => s.VehicleId);
        // A check is corrected once: two corrections arriving together are settled by the database.
        b.HasIndex(s => s.CorrectsId).IsUnique();
        b.HasOne<Vehicle>().WithMany().HasForeignKey(s => s.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SpotCheck>().WithMany().HasForeignKey(s => s.CorrectsId).OnDelete(DeleteBehavior.Restrict);
    }
}
