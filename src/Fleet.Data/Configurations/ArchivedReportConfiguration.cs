using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class ArchivedReportConfiguration : IEntityTypeConfiguration<ArchivedReport>
{
    public void Configure(EntityTypeBuilder<ArchivedReport> b)
    {
        b.Property(a => a.Month).HasMaxLength(7);
        b.Property(a => a.Report).HasMaxLength(32);
        b.Property(a => a.Subject).HasMaxLength(64);
        b.Property(a => a.Filters).HasMaxLength(1000);
        b.Property(a => a.FileName).HasMaxLength(200);
        b.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(a => a.CreatedBy).HasMaxLength(64);
        // One file per report, subject and month, however many instances run the job at once.
        b.HasIndex(a => new { a.Month, a.Report, a.Subject }).IsUnique();
    }
}
