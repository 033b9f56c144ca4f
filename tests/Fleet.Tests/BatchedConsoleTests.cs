using System.Text;
using Fleet.Api.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests;

/// <summary>Fleet's console log writes information in batches and warnings at once, in order, losing nothing.</summary>
public class BatchedConsoleTests
{
    [Fact]
    public void Information_waits_for_the_batch_a_warning_is_written_at_once_after_it_and_disposing_writes_the_rest()
    {
        var output = new MemoryStream();
        string Written() => Encoding.UTF8.GetString(output.ToArray());
        // No timer: what is written when is then only the logger's doing.
        var console = new BatchedConsole(output, Timeout.InfiniteTimeSpan);
        var logger = console.CreateLogger("Fleet.Requests");

        logger.LogInformation("first {N}", 1);
        Assert.Equal("", Written());
        logger.LogWarning("second");
        Assert.Equal("info: Fleet.Requests[0]\n      first 1\nwarn: Fleet.Requests[0]\n      second\n", Written());

        logger.LogInformation(new EventId(7), "a line\nwith two");
        logger.LogError(new InvalidOperationException("broken"), "failed");
        var text = Written();
        Assert.Contains("info: Fleet.Requests[7]\n      a line\n      with two\nfail: Fleet.Requests[0]\n      failed\n      System.InvalidOperationException: broken\n", text);

        logger.LogInformation("last");
        console.Dispose();
        Assert.EndsWith("info: Fleet.Requests[0]\n      last\n", Written());
    }

    [Fact]
    public async Task A_queued_line_is_written_by_the_timer_without_anything_else_happening()
    {
        var output = new MemoryStream();
        using var console = new BatchedConsole(output, TimeSpan.FromMilliseconds(100));
        console.CreateLogger("x").LogInformation("on its own");
        for (var i = 0; i < 30 && output.Length == 0; i++) await Task.Delay(50);
        Assert.Equal("info: x[0]\n      on its own\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Many_lines_from_many_threads_all_arrive_each_whole()
    {
        var output = new MemoryStream();
        var console = new BatchedConsole(output, BatchedConsole.Interval);
        var logger = console.CreateLogger("c");
        Parallel.For(0, 50_000, i => logger.LogInformation("line {I}", i));
        console.Dispose();
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100_000, lines.Length);
        Assert.Equal(50_000, lines.Where(l => l.StartsWith("      line ", StringComparison.Ordinal)).Select(l => int.Parse(l[11..])).Distinct().Count());
    }

    [Fact]
    public void A_closed_output_drops_the_lines_instead_of_failing_the_caller_or_the_timer()
    {
        var output = new MemoryStream();
        using var console = new BatchedConsole(output, TimeSpan.FromMilliseconds(10));
        output.Dispose();
        var logger = console.CreateLogger("x");
        logger.LogInformation("queued");
        logger.LogError("written at once, to nowhere");
        console.Flush();
        // The timer's ticks meet the closed output too, and the process goes on.
        Thread.Sleep(100);
        logger.LogInformation("after");
    }

    [Fact]
    public void A_line_logged_after_dispose_is_dropped_and_warnings_keep_the_queue_bound_honest()
    {
        var output = new MemoryStream();
        var console = new BatchedConsole(output, Timeout.InfiniteTimeSpan);
        var logger = console.CreateLogger("x");
        for (var i = 0; i < 30_000; i++) logger.LogWarning("w{I}", i);
        // Warnings are written at once: none is left queued, so information lines wait for the batch...
        var length = output.Length;
        logger.LogInformation("queued");
        Assert.Equal(length, output.Length);
        // ... until more than 20,000 wait: then the caller writes them, the 30,000 warnings before not counting.
        for (var i = 0; i < 20_000; i++) logger.LogInformation("i{I}", i);
        Assert.EndsWith("info: x[0]\n      i19999\n", Encoding.UTF8.GetString(output.ToArray()));
        logger.LogInformation("queued");
        console.Dispose();
        var afterDispose = output.ToArray().Length;
        logger.LogInformation("too late");
        Assert.Equal(afterDispose, output.ToArray().Length);
        Assert.EndsWith("info: x[0]\n      queued\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
