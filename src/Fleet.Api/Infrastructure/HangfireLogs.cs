using HangfireLog = Hangfire.Logging;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Hangfire's log provider is one per process, and the loggers it hands out are kept for the life of the process
/// (attribute instances such as <c>AutomaticRetry</c> are cached with theirs). Hangfire.AspNetCore binds it to the
/// logger factory of whichever host configured it last, so once that host is disposed every Hangfire call in another
/// live host (a second host in the same process, as in the tests) fails with ObjectDisposedException. This provider
/// asks, at each log call, the most recently started host that is still alive.
/// </summary>
public sealed class HangfireLogs : HangfireLog.ILogProvider
{
    public static readonly HangfireLogs Instance = new();
    private static readonly Lock Gate = new();
    private static readonly List<ILoggerFactory> Factories = [];

    private HangfireLogs() { }

    /// <summary>Makes the host's logger factory the one Hangfire writes to until the host stops.</summary>
    public static void Attach(ILoggerFactory factory, IHostApplicationLifetime lifetime)
    {
        lock (Gate) Factories.Add(factory);
        lifetime.ApplicationStopped.Register(() => Detach(factory));
    }

    private static void Detach(ILoggerFactory factory)
    {
        lock (Gate) Factories.Remove(factory);
    }

    public HangfireLog.ILog GetLogger(string name) => new NamedLog(name);

    private static ILogger? Current(string name)
    {
        while (true)
        {
            ILoggerFactory? factory;
            lock (Gate) factory = Factories.Count == 0 ? null : Factories[^1];
            if (factory is null) return null;
            try
            {
                return factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                Detach(factory);
            }
        }
    }

    private sealed class NamedLog(string name) : HangfireLog.ILog
    {
        public bool Log(HangfireLog.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = Current(name);
            if (logger is null) return false;
            var level = logLevel switch
            {
                HangfireLog.LogLevel.Trace => LogLevel.Trace,
                HangfireLog.LogLevel.Debug => LogLevel.Debug,
                HangfireLog.LogLevel.Info => LogLevel.Information,
                HangfireLog.LogLevel.Warn => LogLevel.Warning,
                HangfireLog.LogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
            logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
            return true;
        }
    }
}
