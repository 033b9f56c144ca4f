using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> b)
    {
        // A reminder is never sent twice: one per schedule and unit.
        b.HasIndex(r => new { r.ScheduleId, r.UnitId }).IsUnique();
        b.HasIndex(r => r.Status);
        b.HasOne<SealUpSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(r => r.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class ReminderDeliveryConfiguration : IEntityTypeConfiguration<ReminderDelivery>
{
    public void Configure(EntityTypeBuilder<ReminderDelivery> b)
    {
        b.HasIndex(d => new { d.ReminderId, d.Channel, d.Recipient });
        b.HasOne<Reminder>().WithMany().HasForeignKey(d => d.ReminderId).OnDelete(DeleteBehavior.Restrict);
    }
}
