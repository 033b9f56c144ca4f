using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> b)
    {
        b.Property(u => u.Place).HasMaxLength(200);
        b.Property(u => u.EndPlace).HasMaxLength(200);
        b.Property(u => u.NaturalKey).HasMaxLength(400);
        b.Property(u => u.ImportedBy).HasMaxLength(64);
        // The same record imported twice is one record: two imports at once are settled here.
        b.HasIndex(u => u.NaturalKey).IsUnique();
        // A unit's records by time (a VehicleAdmin's list), and all records by time (the cross-check, the others' lists).
        // None by car: records arrive in time order, so an index by car takes a random write per record, which at ten
        // million a month was a third of an import's time; the cross-check finds a record's seal order instead. Hence no
        // foreign key to the vehicle either (it would want that index): the import resolves each plate to a registered
        // vehicle, and vehicles are never deleted, only disposed of.
        b.HasIndex(u => new { u.UnitId, u.StartedAt });
        b.HasIndex(u => u.StartedAt);
        b.HasOne<Unit>().WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
        // ImportId has no foreign key, and no index: an import's row is written after its records, when its counts are
        // known (same transaction); a province adds ten million records a month, and each index is paid on every one.
    }
}

public class ViolationUsageConfiguration : IEntityTypeConfiguration<ViolationUsage>
{
    public void Configure(EntityTypeBuilder<ViolationUsage> b)
    {
        b.HasKey(l => new { l.ViolationId, l.UsageRecordId });
        b.HasIndex(l => l.UsageRecordId);
        b.HasOne<Violation>().WithMany().HasForeignKey(l => l.ViolationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<UsageRecord>().WithMany().HasForeignKey(l => l.UsageRecordId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class EvidenceConfiguration : IEntityTypeConfiguration<Evidence>
{
    public void Configure(EntityTypeBuilder<Evidence> b)
    {
        b.Property(e => e.Sha256).HasMaxLength(64).IsUnicode(false);
        // At most the limit per record, and each photo once per record: settled by the database.
        b.HasIndex(e => new { e.SubjectType, e.SubjectId, e.Number }).IsUnique();
        b.HasIndex(e => new { e.SubjectType, e.SubjectId, e.Sha256 }).IsUnique();
        b.HasOne<Unit>().WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class UsageImportConfiguration : IEntityTypeConfiguration<UsageImport>
{
    public void Configure(EntityTypeBuilder<UsageImport> b)
    {
        b.Property(i => i.Sha256).HasMaxLength(64).IsUnicode(false);
        b.HasIndex(i => i.ImportedAt);
    }
}
