using Fleet.Api.Infrastructure;
using Fleet.Data.Entities;
using Hangfire;

namespace Fleet.Api.Features.Jobs;

/// <summary>A job asked for: Hangfire's id of the run, and the job's stable id.</summary>
public sealed record JobRun(string JobId, string Job);

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
    public int ReminderDaysBeforeDeadline { get; set; } = 3;
}

/// <summary>Fleet's background jobs: registered, scheduled under stable ids, and run on demand by an Admin.</summary>
public static class JobsModule
{
    /// <summary>The audit actor of a job's changes.</summary>
    public static string Actor(string jobId) => "system:" + jobId;

    public static IServiceCollection AddFleetJobs(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fleet:Jobs").Get<JobOptions>() ?? new JobOptions();
        services.Configure<JobOptions>(config.GetSection("Fleet:Jobs"));
        services.AddScoped<SealUpReconcile>();
        services.AddScoped<HolidayReminders>();
        services.AddScoped<RecoveryOverdue>();
        services.AddScoped<Reports.ReportArchive>();
        services.AddReminderSenders(config);
        return services.AddHangfirePlumbing(config, options.RunServer, options.WorkerCount);
    }

    /// <summary>Recurring jobs under stable ids, in the configured time zone; re-registering updates them in place.</summary>
    public static void RegisterRecurringJobs(IServiceProvider services)
    {
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobOptions>>().Value;
        var zone = services.GetRequiredService<LocalTime>().Zone;
        manager.AddOrUpdate<SealUpReconcile>(SealUpReconcile.Id, j => j.RunAsync(CancellationToken.None), options.SealUpReconcileCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<HolidayReminders>(HolidayReminders.Id, j => j.RunAsync(CancellationToken.None), options.HolidayRemindersCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<RecoveryOverdue>(RecoveryOverdue.Id, j => j.RunAsync(CancellationToken.None), options.RecoveryOverdueCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<Reports.ReportArchive>(Reports.ReportArchive.Id, j => j.RunAsync(CancellationToken.None), options.ReportArchiveCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<HolidayReminders>(HolidayReminders.DeliveryId, j => j.DeliverDueAsync(CancellationToken.None), options.ReminderDeliveryCron, new RecurringJobOptions { TimeZone = zone });
        manager.AddOrUpdate<Usage.UsageCheck>(Usage.UsageCheck.Id, j => j.RunAsync(CancellationToken.None), options.UsageCheckCron, new RecurringJobOptions { TimeZone = zone });
    }

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs").AllowRoles(Role.Admin);
        group.MapPost("/sealup-reconcile/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobRun(jobs.Enqueue<SealUpReconcile>(j => j.RunAsync(CancellationToken.None)), SealUpReconcile.Id)));
        group.MapPost("/holiday-reminders/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobRun(jobs.Enqueue<HolidayReminders>(j => j.RunAsync(CancellationToken.None)), HolidayReminders.Id)));
        group.MapPost("/recovery-overdue/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobRun(jobs.Enqueue<RecoveryOverdue>(j => j.RunAsync(CancellationToken.None)), RecoveryOverdue.Id)));
        group.MapPost("/report-archive/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobRun(jobs.Enqueue<Reports.ReportArchive>(j => j.RunAsync(CancellationToken.None)), Reports.ReportArchive.Id)));
        group.MapPost("/usage-check/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobRun(jobs.Enqueue<Usage.UsageCheck>(j => j.RunAsync(CancellationToken.None)), Usage.UsageCheck.Id)));
        app.MapHangfireDashboardForAdmins();
    }
}
