using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Actor).HasMaxLength(64);
        b.Property(a => a.Entity).HasMaxLength(64);
        b.Property(a => a.EntityId).HasMaxLength(128); // a composite key: two ids and a comma
        b.Property(a => a.Action).HasMaxLength(32);
        b.HasIndex(a => new { a.Entity, a.EntityId });
        b.HasIndex(a => a.At);
    }
}
