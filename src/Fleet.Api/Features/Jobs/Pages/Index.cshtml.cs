using System.Globalization;
using Fleet.Api.Features.Workspace;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Jobs.Pages;

/// <summary>
/// 后台任务: Fleet's jobs in Chinese for the Admins who run it: what each does, when it runs, how its last run ended and
/// when the next one is due, and 立即运行. Read from Hangfire's storage (the recurring job and its last run's state), so it
/// shows what every instance did; Hangfire's own dashboard stays, read-only, for engineers.
/// </summary>
[Authorize(Roles = "Admin")]
public sealed class IndexModel(IEnumerable<JobRegistration> jobs, JobStorage storage, IRecurringJobManagerV2 recurring,
    IBackgroundJobClient client, LocalTime local) : WorkspacePage
{
    /// <summary>One job's line: its last run's outcome in words, and a detail (duration, error) when there is one.</summary>
    public sealed record Row(JobRegistration Job, string Schedule, DateTime? NextRun, DateTime? LastRun, string LastResult, string? LastDetail, bool Failed);

    public List<Row> Rows { get; } = [];

    public void OnGet() => Load();

    public IActionResult OnPostRun(string? job)
    {
        if (jobs.FirstOrDefault(j => j.Id == job) is not { } registration) return NotFound();
        // Triggered through its recurring job when it has one, so the run shows here as its last run.
        var id = registration.Cron is null ? null : recurring.TriggerJob(registration.Id);
        if (string.IsNullOrEmpty(id)) registration.Enqueue(client);
        return Back($"已加入运行队列：{registration.Text.Name}。稍后刷新本页查看结果。");
    }

    private void Load()
    {
        var monitor = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var stored = connection.GetRecurringJobs(jobs.Select(j => j.Id).ToList()).ToDictionary(r => r.Id);
        foreach (var job in jobs.OrderBy(j => j.Cron is null))
        {
            stored.TryGetValue(job.Id, out var dto);
            var history = dto?.LastJobId is { } last ? monitor.JobDetails(last)?.History : null;
            var (result, detail, failed) = Describe(dto, history);
            Rows.Add(new Row(job, dto?.Cron is { } cron ? Cron(cron) : "仅手动运行", Local(dto?.NextExecution), Local(dto?.LastExecution), result, detail, failed));
        }
    }

    private DateTime? Local(DateTime? utc) => utc is { } at ? local.ToLocal(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;

    /// <summary>The last run's state as people say it, with how long it took or why it failed (newest state first in <paramref name="history"/>).</summary>
    private static (string Result, string? Detail, bool Failed) Describe(RecurringJobDto? job, IList<StateHistoryDto>? history)
    {
        if (job?.LastJobId is null) return ("尚未运行", null, false);
        if (history is not { Count: > 0 }) return ("记录已过期", "运行记录已按保留期限清除", false);
        var state = history[0];
        static string? Data(StateHistoryDto s, string key) => s.Data is { } data && data.TryGetValue(key, out var value) ? value : null;
        var failure = history.FirstOrDefault(s => s.StateName == "Failed");
        var why = failure is null ? null : Data(failure, "ExceptionMessage") ?? failure.Reason;
        return state.StateName switch
        {
            "Succeeded" => ("成功", long.TryParse(Data(state, "PerformanceDuration"), out var ms) ? $"用时 {Duration(ms)}" : null, false),
            "Failed" => ("失败", why, true),
            "Scheduled" when failure is not null => ("失败，等待自动重试", why, true),
            "Processing" => ("运行中", null, false),
            "Enqueued" or "Scheduled" or "Awaiting" => ("排队等待", null, false),
            "Deleted" => ("已取消", null, false),
            _ => (state.StateName, state.Reason, false),
        };
    }

    private static string Duration(long ms) =>
        ms < 1000 ? $"{ms} 毫秒" : ms < 60_000 ? $"{ms / 1000.0:0.#} 秒" : $"{ms / 60_000} 分 {ms / 1000 % 60} 秒";

    /// <summary>The common cron shapes in words (每天 09:00, 每 5 分钟, 每小时第 40 分); anything else as written.</summary>
    public static string Cron(string cron)
    {
        var f = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 5 || f[2] != "*" || f[3] != "*" || f[4] != "*") return "按计划 " + cron;
        static bool Number(string s, out int n) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        if (f[1] == "*" && f[0].StartsWith("*/", StringComparison.Ordinal) && Number(f[0][2..], out var every)) return $"每 {every} 分钟";
        if (f[1] == "*" && Number(f[0], out var minute)) return $"每小时第 {minute} 分";
        if (Number(f[1], out var hour) && Number(f[0], out var at)) return $"每天 {hour:00}:{at:00}";
        return "按计划 " + cron;
    }
}
