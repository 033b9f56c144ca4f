using Fleet.Data.Entities;
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

    /// <summary>The dashboard is for Admins: the endpoint's policy answers 401/403, and the filter re-checks inside Hangfire.</summary>
    public static void MapHangfireDashboardForAdmins(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminOnly()], DisplayStorageConnectionString = false })
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Admin)));

    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(nameof(Role.Admin));
    }
}
