using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class PersonActionConfiguration : IEntityTypeConfiguration<PersonAction>
{
    public void Configure(EntityTypeBuilder<PersonAction> b)
    {
        b.Property(a => a.PersonName).HasMaxLength(100);
        b.Property(a => a.Position).HasMaxLength(100);
        b.Property(a => a.Note).HasMaxLength(2000);
        b.Property(a => a.RecordedBy).HasMaxLength(64);
        b.HasIndex(a => a.ViolationId);
        b.HasOne<Violation>().WithMany().HasForeignKey(a => a.ViolationId).OnDelete(DeleteBehavior.Restrict);
    }
}
