using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class PersonActionConfiguration : IEntityTypeConfiguration<PersonAction>
{
    public void Configure(EntityTypeBuilder<PersonAction> b)
    {
        b.HasIndex(a => a.ViolationId);
        b.HasOne<Violation>().WithMany().HasForeignKey(a => a.ViolationId).OnDelete(DeleteBehavior.Restrict);
        // The SQLite triggers that count the actions in ViolationCounts (written in the migration UnitCounts).
        b.ToTable(t => t.HasTrigger(CountTrigger));
    }

    public const string CountTrigger = "PersonActions_Counts";
}
