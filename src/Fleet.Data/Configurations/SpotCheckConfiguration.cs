using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class SpotCheckConfiguration : IEntityTypeConfiguration<SpotCheck>
{
    public void Configure(EntityTypeBuilder<SpotCheck> b)
    {
        b.HasIndex(s => s.CheckedAt);
        b.HasIndex(s => new { s.UnitId, s.CheckedAt });
        b.HasIndex(s => s.VehicleId);
        b.HasIndex(s => s.CorrectsId);
        b.HasOne<Vehicle>().WithMany().HasForeignKey(s => s.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SpotCheck>().WithMany().HasForeignKey(s => s.CorrectsId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class SpotCheckCorrectionConfiguration : IEntityTypeConfiguration<SpotCheckCorrection>
{
    public void Configure(EntityTypeBuilder<SpotCheckCorrection> b)
    {
        // The key is the corrected check: a check is corrected once, and two corrections arriving together are settled here.
        b.HasKey(c => c.CorrectedId);
        b.Property(c => c.CorrectedId).ValueGeneratedNever();
        b.HasIndex(c => c.CorrectionId).IsUnique();
        b.HasOne<SpotCheck>().WithMany().HasForeignKey(c => c.CorrectedId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SpotCheck>().WithMany().HasForeignKey(c => c.CorrectionId).OnDelete(DeleteBehavior.Restrict);
    }
}
