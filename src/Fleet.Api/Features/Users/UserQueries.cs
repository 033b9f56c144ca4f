namespace Fleet.Api.Features.Users;

/// <summary>What a list of accounts filters by; null or blank is no filter. <paramref name="Search"/> is any part of the username or name.</summary>
public sealed record UserFilter(Role? Role = null, bool? Active = null, string? Search = null);

/// <summary>An account as a list shows it, with its unit's name; never its password hash.</summary>
public sealed record UserRow(Guid Id, string Username, string? DisplayName, Role Role, Guid? UnitId, string? UnitName, string? Phone, bool Active,
    DateTime? LastSignInAt, Guid? RegionId = null, string? RegionName = null);

/// <summary>The accounts: what GET /api/users and the 用户 page show (both for an Admin only).</summary>
public sealed class UserQueries(FleetDbContext db)
{
    /// <summary>
    /// By username. The accounts of the Admin's subtree: the context is narrowed to it (users of its regions, and
    /// vehicle administrators of its units); the caller is taken so that any further narrowing is applied here.
    /// </summary>
    public Task<Paged<UserRow>> ListAsync(Caller caller, UserFilter filter, PageRequest page, CancellationToken ct)
    {
        _ = caller;
        var users = db.Users.AsNoTracking();
        if (filter.Role is { } role) users = users.Where(u => u.Role == role);
        if (filter.Active is { } active) users = users.Where(u => u.Disabled != active);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var q = filter.Search.Trim();
            users = users.Where(u => u.Username.Contains(q) || (u.DisplayName != null && u.DisplayName.Contains(q)));
        }
        return page.ApplyAsync(users.OrderBy(u => u.Username).Select(u => new UserRow(u.Id, u.Username, u.DisplayName, u.Role, u.UnitId,
            db.Units.Where(x => x.Id == u.UnitId).Select(x => x.Name).FirstOrDefault(), u.Phone, !u.Disabled, u.LastSignInAt,
            u.RegionId, db.Regions.Where(x => x.Id == u.RegionId).Select(x => x.Name).FirstOrDefault())), ct);
    }
}
