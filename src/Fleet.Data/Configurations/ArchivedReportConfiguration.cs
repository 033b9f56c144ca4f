using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ArchivedReportConfiguration : IEntityTypeConfiguration<ArchivedReport>
{
    public void Configure(EntityTypeBuilder<ArchivedReport> b)
    {
        b.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();
        // One file per report, subject and month, however many instances run the job at once.
        b.HasIndex(a => new { a.Month, a.Report, a.Subject, a.RegionId }).IsUnique();
    }
}
