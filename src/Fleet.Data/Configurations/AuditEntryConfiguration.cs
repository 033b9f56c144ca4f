using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.EntityId).HasMaxLength(128); // a composite key: two ids and a comma
        b.HasIndex(a => new { a.Entity, a.EntityId });
        b.HasIndex(a => a.At);
    }
}
