using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> b)
    {
        b.HasIndex(u => u.Code).IsUnique();
        b.HasIndex(u => u.ParentId);
        // A subtree's units are one range of codes; with the id beside it, the range's ids are read from the index alone
        // (every scoped query asks for them: e.UnitId IN (SELECT Id FROM Units WHERE RegionCode BETWEEN ...)).
        b.HasIndex(u => new { u.RegionCode, u.Id });
        b.HasOne<Region>().WithMany().HasForeignKey(u => u.RegionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Unit>().WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
