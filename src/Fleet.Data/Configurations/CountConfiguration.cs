using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class VehicleCountConfiguration : IEntityTypeConfiguration<VehicleCount>
{
    public void Configure(EntityTypeBuilder<VehicleCount> b) => b.HasKey(c => new { c.UnitId, c.Status });
}

public class ViolationCountConfiguration : IEntityTypeConfiguration<ViolationCount>
{
    public void Configure(EntityTypeBuilder<ViolationCount> b) => b.HasKey(c => new { c.UnitId, c.Status, c.Type });
}
