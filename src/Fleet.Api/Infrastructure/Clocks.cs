namespace Fleet.Api.Infrastructure;

/// <summary>
/// The host's clock: the system's, or a test's fake. Singletons read it (the audit interceptor, group commit, the
/// reminder senders); it is also what every scope's clock reads unless the scope was given another.
/// </summary>
public sealed class HostClock(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

/// <summary>
/// The clock of one DI scope, which the rules take: the host's, unless the scope was told to read another (the demo
/// enters its story through the same rules, each record at the time the story says, on its replay clock). One
/// composition root serves both. Everything else takes <see cref="TimeProvider"/>, the host's clock: the framework
/// (authentication among it) resolves TimeProvider from the root, so it stays a singleton.
/// </summary>
public sealed class ScopeClock(HostClock host) : TimeProvider
{
    private TimeProvider current = host;

    /// <summary>From now on, everything resolved in this scope reads <paramref name="clock"/>.</summary>
    public void Use(TimeProvider clock) => current = clock;

    public override DateTimeOffset GetUtcNow() => current.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => current.LocalTimeZone;

    public override long TimestampFrequency => current.TimestampFrequency;

    public override long GetTimestamp() => current.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        current.CreateTimer(callback, state, dueTime, period);
}

public static class Clocks
{
    /// <summary>The host's clock (a test registers its fake as the <see cref="HostClock"/>), also as TimeProvider, and each scope's own.</summary>
    public static IServiceCollection AddFleetClocks(this IServiceCollection services)
    {
        services.AddSingleton(new HostClock(TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<HostClock>());
        services.AddScoped<ScopeClock>();
        return services;
    }
}
