using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Users;

public sealed record NewAccount(string Username, string Password, Role Role, Guid? UnitId);

/// <summary>Accounts: who may sign in, in which role and unit. The demo and the bootstrap admin are made the same way.</summary>
public sealed class AccountRules(FleetDbContext db, IPasswordHasher<User> hasher, TimeProvider clock)
{
    public async Task<Outcome<User>> CreateAsync(Caller caller, NewAccount input, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var username = input.Username.Trim();
        if (input.UnitId is { } unitId && !await db.Units.AnyAsync(u => u.Id == unitId, ct))
            return Refusal.Invalid("unitId", "No unit has this id.");
        var taken = $"The username '{username}' is taken.";
        if (await db.Users.AnyAsync(u => u.Username == username, ct)) return Refusal.Conflict(taken);
        var user = new User
        {
            Username = username,
            PasswordHash = "",
            Role = input.Role,
            UnitId = input.UnitId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, input.Password);
        db.Users.Add(user);
        return await db.SaveAsync(taken, ct) is { } lost ? lost : user;
    }
}
