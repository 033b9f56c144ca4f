using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class RecoveryCaseConfiguration : IEntityTypeConfiguration<RecoveryCase>
{
    public void Configure(EntityTypeBuilder<RecoveryCase> b)
    {
        b.HasIndex(r => new { r.CampaignId, r.UnitId, r.Status });
        b.HasIndex(r => new { r.Status, r.DueOn });
        b.HasIndex(r => r.VehicleId);
        // One open case per plate (so per vehicle, and per unregistered car): the database settles a race.
        b.HasIndex(r => r.PlateNumber, "IX_RecoveryCases_PlateNumber_Open").IsUnique().HasFilter("[Status] = 'Open'");
        b.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Vehicle>().WithMany().HasForeignKey(r => r.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(r => r.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
