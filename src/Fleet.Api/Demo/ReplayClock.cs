namespace Fleet.Api.Demo;

/// <summary>The demo's clock: each record is entered through the rules at the moment its story says it happened.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
