using System.Linq.Expressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Jobs;

/// <summary>A job asked for: Hangfire's id of the run, and the job's stable id.</summary>
public sealed record JobRun(string JobId, string Job);

/// <summary>A job's Chinese name and one sentence on what it does, for the people who run Fleet (the 后台任务 page).</summary>
public sealed record JobText(string Name, string Does);

/// <summary>The "Fleet:Jobs" configuration section.</summary>
public class JobOptions
{
    /// <summary>Whether this instance processes jobs. Tests turn it off and run jobs directly.</summary>
    public bool RunServer { get; set; } = true;
    public int WorkerCount { get; set; } = 2;
    public string SealUpReconcileCron { get; set; } = "*/2 * * * *";
    public string HolidayRemindersCron { get; set; } = "0 9 * * *";
    public string RecoveryOverdueCron { get; set; } = "30 0 * * *";
    public string ReportArchiveCron { get; set; } = "20 1 * * *";
    public string UsageCheckCron { get; set; } = "40 * * * *";
    /// <summary>Delivers reminders waiting after a failed attempt (their back-off), between the daily runs that queue them.</summary>
    public string ReminderDeliveryCron { get; set; } = "*/5 * * * *";
    /// <summary>Forgets the Idempotency-Keys of writes older than two days.</summary>
    public string IdempotencyPruneCron { get; set; } = "17 * * * *";
    public int ReminderDaysBeforeDeadline { get; set; } = 3;
}

/// <summary>
/// One job an area contributes: its stable id (the recurring job's id, kept across releases: the dashboard and the tests
/// name it), its cron taken from <see cref="JobOptions"/>, and, if an Admin may run it now, its route under /api/jobs.
/// </summary>
/// <remarks>
/// Hangfire stores a job's type and method by name (assembly-qualified type, without version). Recurring jobs are
/// re-registered at every start (AddOrUpdate), so after a job class moves they pick up its new type; a job already queued
/// or scheduled by an older release under the old type name (e.g. Fleet.Api.Features.Jobs.RecoveryOverdue) can no longer
/// be deserialized and fails in Hangfire's dashboard. Drain the queues before upgrading, or delete such jobs; the next
/// recurring run does the same work (every job is level-triggered).
/// </remarks>
public sealed class JobRegistration(string id, JobText text, string? route, Func<JobOptions, string>? cron,
    Action<IRecurringJobManager, string, string, RecurringJobOptions> schedule, Func<IBackgroundJobClient, string> enqueue)
{
    public string Id { get; } = id;
    /// <summary>What the 后台任务 page calls the job and says it does, in Chinese.</summary>
    public JobText Text { get; } = text;
    /// <summary>The segment of POST /api/jobs/{route}/run; null when the job has no run-now endpoint.</summary>
    public string? Route { get; } = route;
    /// <summary>The cron schedule; null when the job only runs on demand.</summary>
    public Func<JobOptions, string>? Cron { get; } = cron;
    internal void Schedule(IRecurringJobManager manager, string cronExpression, RecurringJobOptions options) => schedule(manager, Id, cronExpression, options);
    internal string Enqueue(IBackgroundJobClient client) => enqueue(client);
}

/// <summary>
/// Fleet's background jobs: Hangfire's registration plumbing only. Each area contributes its jobs
/// (<see cref="AddFleetJob{T}"/>); this module schedules them under their stable ids, in the configured time zone, and
/// maps the Admin's run-now endpoints. It names no area's job class.
/// </summary>
public static class JobsModule
{
    /// <summary>The audit actor of a job's changes.</summary>
    public static string Actor(string jobId) => "system:" + jobId;

    /// <summary>Storage, server and options; the jobs themselves come from the areas.</summary>
    public static IServiceCollection AddFleetJobs(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fleet:Jobs").Get<JobOptions>() ?? new JobOptions();
        services.Configure<JobOptions>(config.GetSection("Fleet:Jobs"));
        return services.AddHangfirePlumbing(config, options.RunServer, options.WorkerCount);
    }

    /// <summary>An area's job: the class (scoped), its recurring schedule under <paramref name="id"/>, and its run-now route.</summary>
    public static IServiceCollection AddFleetJob<T>(this IServiceCollection services, string id, JobText text, Func<JobOptions, string>? cron,
        Expression<Func<T, Task>> method, string? route = null) where T : class
    {
        services.TryAddScoped<T>();
        services.AddSingleton(new JobRegistration(id, text, route, cron,
            (manager, jobId, cronExpression, options) => manager.AddOrUpdate(jobId, method, cronExpression, options),
            client => client.Enqueue(method)));
        return services;
    }

    /// <summary>Recurring jobs under stable ids, in the configured time zone; re-registering updates them in place.</summary>
    public static void RegisterRecurringJobs(IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var options = services.GetRequiredService<IOptions<JobOptions>>().Value;
        var zone = services.GetRequiredService<LocalTime>().Zone;
        foreach (var job in services.GetServices<JobRegistration>())
            if (job.Cron is { } cron)
                job.Schedule(manager, cron(options), new RecurringJobOptions { TimeZone = zone });
    }

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs").AllowRoles(Role.Admin);
        foreach (var job in app.ServiceProvider.GetServices<JobRegistration>().Where(j => j.Route is not null))
            group.MapPost($"/{job.Route}/run", (IBackgroundJobClient jobs) =>
                TypedResults.Accepted((string?)null, new JobRun(job.Enqueue(jobs), job.Id)));
        app.MapHangfireDashboardForAdmins();
    }
}
