using System.Diagnostics;
using Fleet.Api.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Fleet.Benchmarks;

/// <summary>
/// What one request line costs in CPU (the calling thread and the writer's together), with the standard console logger
/// and with Fleet's batched one, each writing the same 200,000 lines to this process's standard output (run it with
/// stdout sent to /dev/null or a pipe, as a service's is); results go to standard error. Same run, interleaved rounds.
/// </summary>
public static class LogBenchmark
{
    private const int Lines = 200_000;

    public static void Run()
    {
        var results = new Dictionary<string, List<double>> { ["standard console"] = [], ["Fleet's batched console"] = [] };
        for (var round = 0; round < 3; round++)
            foreach (var name in results.Keys)
                results[name].Add(Measure(name == "standard console"
                    ? () => LoggerFactory.Create(b => b.AddConsole())
                    : () => LoggerFactory.Create(b => b.AddProvider(new BatchedConsole()))));
        foreach (var (name, micros) in results)
            Console.Error.WriteLine($"| request line, {name} | {Fleet.Benchmarks.Measure.Spread(micros, "F2", " µs")} CPU per line (median of 3 rounds of {Lines:N0}) |");
    }

    private static double Measure(Func<ILoggerFactory> make)
    {
        var factory = make();
        var logger = factory.CreateLogger("Fleet.Requests");
        for (var i = 0; i < 20_000; i++) Line(logger, i);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        for (var i = 0; i < Lines; i++) Line(logger, i);
        factory.Dispose();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMicroseconds / Lines;
    }

    private static void Line(ILogger logger, int i) =>
        logger.LogInformation("HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms for {User}", "GET",
            "/api/vehicles/019ac3f2-5b1e-7c44-9a8e-3f0c2d1b7a65", 200, 0.1 + i % 7, "admin");
}
