using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> b)
    {
        b.Property(r => r.Recipients).HasMaxLength(1000);
        b.Property(r => r.Body).HasMaxLength(4000);
        b.Property(r => r.LastError).HasMaxLength(2000);
        // A reminder is never sent twice: one per schedule and unit.
        b.HasIndex(r => new { r.ScheduleId, r.UnitId }).IsUnique();
        b.HasIndex(r => r.Status);
        b.HasOne<SealUpSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(r => r.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
