using Fleet.Api.Features.Jobs;
using Fleet.Api.Features.SealUp;
using Fleet.Data.Entities;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.SqlServer;

namespace Fleet.Api.Infrastructure;

/// <summary>The "Fleet:Jobs" configuration section.</summary>
public class JobOptions
{
    /// <summary>Whether this instance processes jobs. Tests turn it off and run jobs directly.</summary>
    public bool RunServer { get; set; } = true;
    public int WorkerCount { get; set; } = 2;
    public string SealUpReconcileCron { get; set; } = "*/2 * * * *";
    public string HolidayRemindersCron { get; set; } = "0 9 * * *";
    public string RecoveryOverdueCron { get; set; } = "30 0 * * *";
    public int ReminderDaysBeforeDeadline { get; set; } = 3;
}

public static class Jobs
{
    public static IServiceCollection AddFleetJobs(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fleet:Jobs").Get<JobOptions>() ?? new JobOptions();
        services.Configure<JobOptions>(config.GetSection("Fleet:Jobs"));
        services.AddScoped<SealOrderSets>();
        services.AddScoped<SealUpReconcile>();
        services.AddScoped<HolidayReminders>();
        services.AddScoped<RecoveryOverdue>();
        services.AddSingleton<IReminderSender, LogReminderSender>();
        // Each host gets a storage of its own, created when first needed and disposed with the host; Hangfire's global
        // configuration (shared by every host in a process, e.g. in tests) only carries the serializer settings.
        // With SQL Server, instances share Hangfire's storage: its distributed locks keep a job from running twice at once.
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        services.AddSingleton<JobStorage>(_ => Database.IsSqlServer(config)
            ? new SqlServerStorage(config.GetConnectionString("Fleet"), new SqlServerStorageOptions { PrepareSchemaIfNecessary = true })
            : new Hangfire.InMemory.InMemoryStorage());
        services.AddHangfire((provider, configuration) =>
        {
            HangfireLogs.Attach(provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<IHostApplicationLifetime>());
            configuration.UseLogProvider(HangfireLogs.Instance);
        });
        // The server activates jobs in this host's services; left alone it may take Hangfire's process-wide activator,
        // which is the last configured host's (another host's database, in a process with two).
        if (options.RunServer)
        {
            services.AddHangfireServer((provider, o) =>
            {
                o.WorkerCount = Math.Max(1, options.WorkerCount);
                o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            });
        }
        return services;
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
    }

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs").AllowRoles(Role.Admin);
        group.MapPost("/sealup-reconcile/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new { jobId = jobs.Enqueue<SealUpReconcile>(j => j.RunAsync(CancellationToken.None)), job = SealUpReconcile.Id }));
        group.MapPost("/holiday-reminders/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new { jobId = jobs.Enqueue<HolidayReminders>(j => j.RunAsync(CancellationToken.None)), job = HolidayReminders.Id }));
        group.MapPost("/recovery-overdue/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new { jobId = jobs.Enqueue<RecoveryOverdue>(j => j.RunAsync(CancellationToken.None)), job = RecoveryOverdue.Id }));

        // The dashboard is for Admins: the endpoint's policy answers 401/403, and the filter re-checks inside Hangfire.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminOnly()], DisplayStorageConnectionString = false })
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Admin)));
    }

    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(nameof(Role.Admin));
    }
}
