using Microsoft.Extensions.Options;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Slows guessing without letting a stranger lock anyone out (docs/decisions/005). Failures are counted per username
/// and address, and per address, in the database, so every instance sharing it counts the same:
/// - too many failures for one username from one address hold back that username from that address only;
/// - too many failures from one address (many usernames tried: spraying) hold back that address, except for the
///   usernames that have signed in there before, so an office behind one address keeps working.
/// A person signing in with the right password from an address that has not failed is never held back.
/// </summary>
public sealed class SignInThrottle(FleetDbContext db, TimeProvider clock, IOptions<FleetOptions> options)
{
    private SignInOptions Limits => options.Value.SignIn;

    /// <summary>Seconds to wait when this username is held back at this address; null when the attempt may go ahead.</summary>
    public async Task<int?> RetryAfterAsync(string username, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddMinutes(-Limits.WindowMinutes);
        int? wait = null;
        foreach (var (key, limit) in new[] { (UserKey(username, address), Limits.MaxFailuresPerUser), (AddressKey(address), Limits.MaxFailuresPerAddress) })
        {
            var failures = await db.SignInAttempts.AsNoTracking().Where(a => a.Key == key && a.At > since).OrderBy(a => a.At).Select(a => a.At).Take(limit).ToListAsync(ct);
            if (failures.Count < limit) continue;
            if (key == AddressKey(address) && await KnownHereAsync(username, address, now, ct)) continue;
            var seconds = (int)Math.Ceiling((failures[0].AddMinutes(Limits.WindowMinutes) - now).TotalSeconds);
            wait = Math.Max(wait ?? 1, Math.Max(1, seconds));
        }
        return wait;
    }

    public async Task FailedAsync(string username, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        string[] keys = [UserKey(username, address), AddressKey(address)];
        // What has left the window is no longer needed: the table holds at most a window's failures per key.
        var since = now.AddMinutes(-Limits.WindowMinutes);
        await db.SignInAttempts.Where(a => keys.Contains(a.Key) && a.At <= since).ExecuteDeleteAsync(ct);
        db.SignInAttempts.AddRange(keys.Select(k => new SignInAttempt { Key = k, At = now }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A success clears the username's failures at this address and marks the address as one it signs in from.</summary>
    public async Task SucceededAsync(string username, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.SignInAttempts.Where(a => a.Key == UserKey(username, address)).ExecuteDeleteAsync(ct);
        var known = KnownKey(username, address);
        if (!await db.SignInAttempts.AnyAsync(a => a.Key == known && a.At > now.AddDays(-1), ct))
        {
            await db.SignInAttempts.Where(a => a.Key == known).ExecuteDeleteAsync(ct);
            db.SignInAttempts.Add(new SignInAttempt { Key = known, At = now });
            await db.SaveChangesAsync(ct);
        }
    }

    private Task<bool> KnownHereAsync(string username, string address, DateTime now, CancellationToken ct)
    {
        var key = KnownKey(username, address);
        var since = now.AddDays(-Limits.KnownAddressDays);
        return db.SignInAttempts.AnyAsync(a => a.Key == key && a.At > since, ct);
    }

    private static string Name(string username) => username.Trim().ToLowerInvariant();

    private static string UserKey(string username, string address) => Clip($"fail:{Name(username)}@{address}");

    private static string AddressKey(string address) => Clip($"fail@{address}");

    private static string KnownKey(string username, string address) => Clip($"ok:{Name(username)}@{address}");

    private static string Clip(string key) => key.Length <= 200 ? key : key[..200];
}
