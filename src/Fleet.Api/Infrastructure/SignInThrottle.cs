using System.Collections.Concurrent;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Holds back guessing: after too many failed sign-ins for one username, or from one address, within the window,
/// further attempts are refused (429) until the window ends. Only failures count, so an office of many users behind
/// one address signing in successfully is never held back. Per instance: behind a load balancer each instance counts its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, Microsoft.Extensions.Options.IOptions<FleetOptions> options)
{
    private readonly ConcurrentDictionary<string, Window> failures = new();
    private SignInOptions Limits => options.Value.SignIn;

    /// <summary>Seconds to wait when the user or the address is held back; null when the attempt may go ahead.</summary>
    public int? RetryAfter(string username, string address)
    {
        var now = clock.GetUtcNow();
        int? wait = null;
        foreach (var (key, limit) in Keys(username, address))
        {
            if (failures.TryGetValue(key, out var w) && w.Count >= limit && w.Ends > now)
                wait = Math.Max(wait ?? 0, (int)Math.Ceiling((w.Ends - now).TotalSeconds));
        }
        return wait;
    }

    public void Failed(string username, string address)
    {
        var now = clock.GetUtcNow();
        var length = TimeSpan.FromMinutes(Limits.WindowMinutes);
        foreach (var (key, _) in Keys(username, address))
            failures.AddOrUpdate(key, _ => new Window(1, now + length),
                (_, w) => w.Ends <= now ? new Window(1, now + length) : w with { Count = w.Count + 1 });
        if (failures.Count > 100_000) Sweep(now);
    }

    public void Succeeded(string username) => failures.TryRemove(UserKey(username), out _);

    private IEnumerable<(string Key, int Limit)> Keys(string username, string address) =>
        [(UserKey(username), Limits.MaxFailuresPerUser), ("ip:" + address, Limits.MaxFailuresPerAddress)];

    private static string UserKey(string username) => "user:" + username.Trim().ToLowerInvariant();

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, w) in failures)
            if (w.Ends <= now) failures.TryRemove(key, out _);
    }

    private sealed record Window(int Count, DateTimeOffset Ends);
}
