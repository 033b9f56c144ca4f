using Microsoft.AspNetCore.Identity;

namespace Fleet.Api.Features.Users;

public sealed record NewAccount(string Username, string Password, Role Role, Guid? UnitId, string? DisplayName = null, string? Phone = null, Guid? RegionId = null);

/// <param name="RegionId">The region an Admin, Inspector or Auditor works at; null keeps the one they have.</param>
public sealed record AccountChange(string? DisplayName, string? Phone, Role Role, Guid? UnitId, bool Active, Guid? RegionId = null);

/// <summary>
/// Accounts: who may sign in, in which role and unit. People come and go: an Admin changes roles and units, resets
/// passwords and deactivates accounts; everyone changes their own password. Whatever should end a person's earlier
/// tokens (deactivation, a new role or unit, a new password) gives the account a new security stamp.
/// </summary>
public sealed class AccountRules(FleetDbContext db, IPasswordHasher<User> hasher, AccountStamps stamps, ScopeClock clock, Regions.RegionRules regions, RootRegion root)
{
    public async Task<Outcome<User>> CreateAsync(Caller caller, NewAccount input, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var username = input.Username.Trim();
        var unit = await UnitNamesAsync(input.UnitId, ct);
        if (input.UnitId is not null && unit.Length == 0) return NoUnit(caller);
        var place = await PlaceAsync(caller, input.Role, input.UnitId, input.RegionId, null, ct);
        if (place.Refusal is { } outside) return outside;
        if (Passwords.Weakness(input.Password, username, unit) is { } weak) return Refusal.Invalid("password", weak);
        var taken = new CodedText("Users.UsernameTaken", ("name", username));
        if (await db.Users.AnyAsync(u => u.Username == username, ct)) return Refusal.Conflict(taken);
        var user = new User
        {
            Username = username,
            PasswordHash = "",
            Role = input.Role,
            UnitId = input.UnitId,
            RegionId = place.Value.Id,
            RegionCode = place.Value.Code,
            DisplayName = Clean(input.DisplayName),
            Phone = Clean(input.Phone),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, input.Password);
        db.Users.Add(user);
        return await db.SaveAsync(taken, ct) is { } lost ? lost : user;
    }

    /// <summary>
    /// Display name, phone, role, unit, active. An Admin cannot deactivate or demote themselves, nor the last active
    /// Admin: the active Admins' rows are taken first, so two Admins demoting each other at once cannot both succeed.
    /// </summary>
    public async Task<Outcome<User>> UpdateAsync(Caller caller, Guid id, AccountChange change, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        if (change.Role == Role.VehicleAdmin && change.UnitId is null) return Refusal.Invalid("unitId", "Users.UnitRequired");
        if (change.Role != Role.VehicleAdmin && change.UnitId is not null) return Refusal.Invalid("unitId", "Users.UnitNotAllowed");
        if (change.UnitId is { } unitId && !await db.Units.AnyAsync(u => u.Id == unitId, ct)) return NoUnit(caller);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Refusal.NotFound("Users.NotFound");
        var place = await PlaceAsync(caller, change.Role, change.UnitId, change.RegionId, user.RegionId, ct);
        if (place.Refusal is { } outside) return outside;
        var losesAdmin = user.Role == Role.Admin && !user.Disabled && (change.Role != Role.Admin || !change.Active);
        if (losesAdmin && user.Id == caller.UserId) return Refusal.Conflict("Users.SelfDemote");

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (losesAdmin)
        {
            await db.Users.Where(u => u.Role == Role.Admin && !u.Disabled).ExecuteUpdateAsync(s => s.SetProperty(u => u.Version, u => u.Version), ct);
            if (!await db.Users.AnyAsync(u => u.Role == Role.Admin && !u.Disabled && u.Id != id, ct))
                return Refusal.Conflict("Users.LastAdmin");
        }
        var endsTokens = user.Role != change.Role || user.UnitId != change.UnitId || user.Disabled == change.Active || user.RegionId != place.Value.Id;
        (user.RegionId, user.RegionCode) = (place.Value.Id, place.Value.Code);
        user.DisplayName = Clean(change.DisplayName);
        user.Phone = Clean(change.Phone);
        user.Role = change.Role;
        user.UnitId = change.UnitId;
        user.Disabled = !change.Active;
        if (endsTokens) user.SecurityStamp = User.NewStamp();
        if (await db.SaveAsync(new CodedText("Users.Changed"), ct) is { } lost) return lost;
        await transaction.CommitAsync(ct);
        stamps.Forget(user.Id);
        return user;
    }

    /// <summary>An Admin sets a new password (the person forgot theirs): their earlier tokens stop working.</summary>
    public async Task<Outcome<User>> ResetPasswordAsync(Caller caller, Guid id, string newPassword, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Refusal.NotFound("Users.NotFound");
        return await SetPasswordAsync(user, newPassword, "Reset", ct);
    }

    /// <summary>Anyone changes their own password, giving the current one; their other tokens stop working.</summary>
    public async Task<Outcome<User>> ChangeOwnPasswordAsync(Caller caller, string currentPassword, string newPassword, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.UserId, ct);
        if (user is null) return Refusal.NotFound("Users.NotFound");
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
            return Refusal.Invalid("currentPassword", "Users.WrongCurrentPassword");
        return await SetPasswordAsync(user, newPassword, "ChangePassword", ct);
    }

    private async Task<Outcome<User>> SetPasswordAsync(User user, string newPassword, string action, CancellationToken ct)
    {
        if (Passwords.Weakness(newPassword, user.Username, await UnitNamesAsync(user.UnitId, ct)) is { } weak) return Refusal.Invalid("newPassword", weak);
        user.PasswordHash = hasher.HashPassword(user, newPassword);
        user.SecurityStamp = User.NewStamp();
        db.AuditAs(user, action);
        if (await db.SaveAsync(new CodedText("Users.ChangedRetry"), ct) is { } lost) return lost;
        stamps.Forget(user.Id);
        return user;
    }

    /// <summary>The unit's name and code, which a password must not be built on; empty when there is no such unit.</summary>
    private async Task<string[]> UnitNamesAsync(Guid? unitId, CancellationToken ct) => unitId is null ? [] :
        (await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Name, u.Code }).ToListAsync(ct))
            .SelectMany(u => new[] { u.Name, u.Code }).ToArray();

    /// <summary>
    /// Where an account works: a VehicleAdmin at their unit's region, anyone else at the region named, else the one they
    /// had, else the Admin's own. Both must lie in the Admin's subtree (the context is narrowed to it), so no Admin gives
    /// anyone a wider scope than their own (403, whether the region exists or not).
    /// </summary>
    private async Task<Outcome<(Guid Id, int Code)>> PlaceAsync(Caller caller, Role role, Guid? unitId, Guid? regionId, Guid? had, CancellationToken ct)
    {
        if (role == Role.VehicleAdmin)
        {
            var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.RegionId, u.RegionCode }).FirstOrDefaultAsync(ct);
            return unit is null ? NoUnit(caller) : (unit.RegionId, unit.RegionCode);
        }
        var region = await regions.PlaceAsync(caller, regionId ?? had, ct);
        return region.Refusal is { } refusal ? refusal : (region.Value!.Id, region.Value.Code);
    }

    /// <summary>A unit not found: at the root it does not exist (400); below it, it may lie outside the Admin's subtree (403).</summary>
    private Refusal NoUnit(Caller caller) => caller.Scope(root) is null ? Refusal.Invalid("unitId", "Common.NoSuchUnit") : Refusal.Forbidden("Users.UnitOutsideScope");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
