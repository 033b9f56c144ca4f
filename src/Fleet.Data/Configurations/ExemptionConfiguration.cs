using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ExemptionConfiguration : IEntityTypeConfiguration<Exemption>
{
    public void Configure(EntityTypeBuilder<Exemption> b)
    {
        // One open request per order: the database settles two requests arriving together.
        b.HasIndex(e => e.SealOrderId, "IX_Exemptions_SealOrderId_Requested").IsUnique().HasFilter("[Status] = 'Requested'");
        b.HasIndex(e => e.SealOrderId);
        b.HasIndex(e => new { e.ScheduleId, e.Status });
        b.HasOne<SealOrder>().WithMany().HasForeignKey(e => e.SealOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
