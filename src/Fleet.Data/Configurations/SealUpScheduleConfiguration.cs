using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class SealUpScheduleConfiguration : IEntityTypeConfiguration<SealUpSchedule>
{
    public void Configure(EntityTypeBuilder<SealUpSchedule> b)
    {
        b.HasIndex(s => s.Status);
        b.HasOne<Region>().WithMany().HasForeignKey(s => s.RegionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Holiday>().WithMany().HasForeignKey(s => s.HolidayId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class SealUpScheduleUnitConfiguration : IEntityTypeConfiguration<SealUpScheduleUnit>
{
    public void Configure(EntityTypeBuilder<SealUpScheduleUnit> b)
    {
        b.HasKey(s => new { s.ScheduleId, s.UnitId });
        b.HasOne<SealUpSchedule>().WithMany().HasForeignKey(s => s.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
