using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Data.Configurations;

public class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Username).HasMaxLength(64);
        b.Property(u => u.PasswordHash).HasMaxLength(256);
        b.Property(u => u.DisplayName).HasMaxLength(64);
        b.Property(u => u.Phone).HasMaxLength(32);
        b.Property(u => u.SecurityStamp).HasMaxLength(32);
        b.HasIndex(u => u.Username).IsUnique();
        b.HasOne<Unit>().WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class SignInAttemptConfiguration : IEntityTypeConfiguration<SignInAttempt>
{
    public void Configure(EntityTypeBuilder<SignInAttempt> b)
    {
        b.Property(a => a.Key).HasMaxLength(200);
        b.HasIndex(a => new { a.Key, a.At });
        b.HasIndex(a => a.At);
    }
}
