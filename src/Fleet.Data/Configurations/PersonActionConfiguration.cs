using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class PersonActionConfiguration : IEntityTypeConfiguration<PersonAction>
{
    public void Configure(EntityTypeBuilder<PersonAction> b)
    {
        b.HasIndex(a => a.ViolationId);
        b.HasOne<Violation>().WithMany().HasForeignKey(a => a.ViolationId).OnDelete(DeleteBehavior.Restrict);
    }
}
