using Microsoft.Extensions.Caching.Memory;

namespace Fleet.Api.Features.Users;

/// <summary>
/// The current security stamp of each account, checked against the token on every request. Read from the database at
/// most once per <see cref="Lifetime"/> per account and instance; a change made through this instance is forgotten
/// at once, so its next request is refused. Another instance notices within <see cref="Lifetime"/>.
/// </summary>
public sealed class AccountStamps(IMemoryCache cache, IServiceScopeFactory scopes) : Infrastructure.IAccountCheck
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private sealed record Current(string Stamp, bool Active);

    /// <summary>Whether a token carrying <paramref name="stamp"/> still speaks for the account.</summary>
    public async ValueTask<bool> IsCurrentAsync(Guid userId, string? stamp, CancellationToken ct)
    {
        if (stamp is null) return false;
        if (!cache.TryGetValue(Key(userId), out Current? current))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
            current = await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => u.Id == userId)
                .Select(u => new Current(u.SecurityStamp, !u.Disabled)).FirstOrDefaultAsync(ct);
            // An account that does not exist is remembered too, as a stamp no token carries.
            cache.Set(Key(userId), current ?? new Current("", false), Lifetime);
        }
        return current is { Active: true } && current.Stamp == stamp;
    }

    public void Forget(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => "stamp:" + userId.ToString("N");
}
