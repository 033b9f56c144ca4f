using Hangfire;
using Hangfire.Dashboard;
using Hangfire.SqlServer;

namespace Fleet.Api.Infrastructure;

/// <summary>Hangfire's plumbing: storage, server, logging and dashboard. Which jobs run is each area's business.</summary>
public static class HangfirePlumbing
{
    public static IServiceCollection AddHangfirePlumbing(this IServiceCollection services, IConfiguration config, bool runServer, int workerCount)
    {
        // Each host gets a storage of its own, created when first needed and disposed with the host; Hangfire's global
        // configuration (shared by every host in a process, e.g. in tests) only carries the serializer settings.
        // With SQL Server, instances share Hangfire's storage: its distributed locks keep a job from running twice at once.
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        // With a server database, instances share Hangfire's storage (its own tables, in the business database unless
        // ConnectionStrings:Hangfire names another): distributed locks keep a job from running twice at once.
        var hangfire = config.GetConnectionString("Hangfire") ?? config.GetConnectionString("Fleet");
        services.AddSingleton<JobStorage>(_ => Database.Provider(config) switch
        {
            "SqlServer" => new SqlServerStorage(hangfire, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true }),
            "PostgreSql" => PostgreSql(hangfire!, config),
            _ => new Hangfire.InMemory.InMemoryStorage(),
        });
        services.AddHangfire((provider, configuration) =>
        {
            HangfireLogs.Attach(provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<IHostApplicationLifetime>());
            configuration.UseLogProvider(HangfireLogs.Instance);
        });
        // The server activates jobs in this host's services; left alone it may take Hangfire's process-wide activator,
        // which is the last configured host's (another host's database, in a process with two).
        if (runServer)
        {
            services.AddHangfireServer((provider, o) =>
            {
                o.WorkerCount = Math.Max(1, workerCount);
                o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            });
        }
        return services;
    }

    /// <summary>
    /// Hangfire on PostgreSQL. A fetched job stays invisible to other workers while it runs (the timeout slides while the
    /// worker lives, so a crashed instance's job is taken again after it), and a job's distributed lock
    /// (DisableConcurrentExecution) counts as stale only after the longest job could have run: a province's reconcile or
    /// report archive takes minutes, and a lock taken away early would let a second instance start it.
    /// </summary>
    private static Hangfire.PostgreSql.PostgreSqlStorage PostgreSql(string connectionString, IConfiguration config)
    {
        var options = new Hangfire.PostgreSql.PostgreSqlStorageOptions
        {
            PrepareSchemaIfNecessary = true,
            SchemaName = config["Fleet:Jobs:HangfireSchema"] ?? "hangfire",
            InvisibilityTimeout = TimeSpan.FromMinutes(config.GetValue("Fleet:Jobs:InvisibilityTimeoutMinutes", 30)),
            UseSlidingInvisibilityTimeout = true,
            DistributedLockTimeout = TimeSpan.FromMinutes(config.GetValue("Fleet:Jobs:LockTimeoutMinutes", 120)),
            QueuePollInterval = TimeSpan.FromSeconds(config.GetValue("Fleet:Jobs:QueuePollSeconds", 5)),
        };
        return new Hangfire.PostgreSql.PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>
    /// The dashboard is for Admins' engineers, and read-only: nothing is deleted, requeued or triggered from it (Hangfire
    /// answers its commands 401); jobs are run from Fleet's own 后台任务 page. The endpoint's policy answers 401/403, and the
    /// filter re-checks inside Hangfire.
    /// </summary>
    public static void MapHangfireDashboardForAdmins(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnly()],
            IsReadOnlyFunc = _ => true,
            DisplayStorageConnectionString = false,
            AppPath = "/jobs",
        })
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Admin)));

    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(nameof(Role.Admin));
    }
}
