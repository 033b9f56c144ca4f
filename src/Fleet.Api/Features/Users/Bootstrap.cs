using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Users;

/// <summary>On first start (no user at all) creates <c>admin</c>, with the configured password or a generated one.</summary>
public static class Bootstrap
{
    public const string AdminUsername = "admin";
    public const string PasswordFile = "admin-password.txt";

    /// <returns>The password of the user it created, or null when users already existed.</returns>
    public static async Task<string?> EnsureAdminAsync(IServiceProvider services, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<FleetDbContext>();
        if (await db.Users.AnyAsync()) return null;

        var fleet = sp.GetRequiredService<IOptions<FleetOptions>>().Value;
        var password = fleet.AdminPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);
            PrivateFiles.CreateDirectory(fleet.DataPath);
            var path = Path.Combine(fleet.DataPath, PasswordFile);
            await using (var file = new StreamWriter(PrivateFiles.Create(path, FileMode.Create)))
                await file.WriteAsync(password + Environment.NewLine);
            // Printed once, on the start that creates the user; the file keeps it for the operator.
            Console.WriteLine($"Fleet: created user '{AdminUsername}' with password {password} (also written to {path}).");
        }
        else if (Passwords.Weakness(password, AdminUsername) is { } weak)
        {
            throw new InvalidOperationException($"Fleet:AdminPassword is not acceptable: {weak}");
        }

        using var _ = AuditActor.RunAs("bootstrap");
        var hasher = sp.GetRequiredService<IPasswordHasher<User>>();
        var root = sp.GetRequiredService<RootRegion>();
        var admin = new User
        {
            Username = AdminUsername,
            PasswordHash = "",
            Role = Role.Admin,
            RegionId = root.Id,
            RegionCode = root.Code,
            CreatedAt = sp.GetRequiredService<HostClock>().GetUtcNow().UtcDateTime,
        };
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (Infrastructure.DbErrors.IsUniqueViolation(e))
        {
            // Another instance, started at the same moment on the same empty database, created it first.
            return null;
        }
        logger.LogInformation("Created the bootstrap user {User}", AdminUsername);
        return password;
    }
}
