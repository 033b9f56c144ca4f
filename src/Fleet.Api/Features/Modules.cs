using Fleet.Api.Features.Audit;
using Fleet.Api.Features.Auth;
using Fleet.Api.Features.Jobs;
using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.Reports;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.SpotChecks;
using Fleet.Api.Features.Units;
using Fleet.Api.Features.Usage;
using Fleet.Api.Features.Users;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Violations;
using Fleet.Api.Features.Workspace;

namespace Fleet.Api.Features;

/// <summary>
/// Each area registers its own rules, jobs and routes here; Infrastructure knows none of them.
/// A new rule goes in its area's rules class (docs/decisions/004-rules-and-layers.md).
/// </summary>
public static class Modules
{
    private static readonly JobText PruneText = new("清理重复提交记录", "删除两天前的防重复提交记录（同一操作重发时据此只保存一次）。");

    public static IServiceCollection AddFleetFeatures(this IServiceCollection services, IConfiguration config, FleetOptions fleet)
    {
        services.AddScoped<AccountRules>();
        services.AddScoped<Users.UserQueries>();
        services.AddSingleton<AccountStamps>();
        services.AddSingleton<IAccountCheck>(sp => sp.GetRequiredService<AccountStamps>());
        services.AddSingleton<RootRegion>();
        services.AddScoped<Regions.RegionRules>();
        services.AddScoped<Regions.RegionQueries>();
        services.AddScoped<Reports.RollUps>();
        services.AddScoped<UnitRules>();
        services.AddScoped<UnitQueries>();
        services.AddScoped<Standards>();
        services.AddScoped<VehicleRules>();
        services.Configure<ImportLimits>(config.GetSection("Fleet:Import"));
        services.AddVehicleReads(config, fleet);
        services.AddScoped<VehicleQueries>();
        services.AddScoped<SealOrderSets>();
        services.AddScoped<SealUpRules>();
        services.AddScoped<IDisposalHolds>(sp => sp.GetRequiredService<SealUpRules>());
        services.AddScoped<SealOrderQueries>();
        services.AddScoped<ExemptionQueries>();
        services.AddSingleton<GroupCommit>();
        services.AddScoped<SpotCheckWriter>();
        services.AddScoped<SpotCheckRules>();
        services.AddScoped<Usage.UsageWriter>();
        services.AddScoped<SpotCheckQueries>();
        services.AddScoped<Usage.UsageRules>();
        services.Configure<Usage.UsageLimits>(config.GetSection("Fleet:Usage"));
        services.Configure<Photos.EvidenceOptions>(config.GetSection("Fleet:Evidence"));
        services.AddSingleton<Photos.PhotoStore>();
        services.AddScoped<Photos.EvidenceRules>();
        services.AddScoped<Photos.EvidenceQueries>();
        services.Configure<Usage.UsageCheckOptions>(config.GetSection("Fleet:UsageCheck"));
        services.AddScoped<ViolationRules>();
        services.AddScoped<ViolationQueries>();
        services.AddScoped<Audit.AuditQueries>();
        services.AddScoped<Usage.UsageQueries>();
        services.AddScoped<RecoveryRules>();
        services.AddScoped<RecoveryQueries>();
        services.Configure<ReportOptions>(config.GetSection("Fleet:Reports"));
        services.AddScoped<ReportFile>();
        // Each area's jobs, in the order their run-now endpoints are listed; Features/Jobs schedules them.
        services.AddSealUpJobs(config);
        services.AddRecoveryJobs();
        services.AddReportJobs();
        services.AddUsageJobs();
        services.AddFleetJob<IdempotencyPrune>(IdempotencyPrune.Id, PruneText, o => o.IdempotencyPruneCron, j => j.RunAsync(CancellationToken.None));
        services.AddFleetJobs(config);
        // What each role sees first, from the area that owns the figures.
        // A region's roll-up first, for everyone who works at a region.
        foreach (var role in new[] { Role.Admin, Role.Inspector, Role.Auditor })
            services.AddHomeSection(role, "/Features/Reports/Pages/_HomeRollUp.cshtml");
        services.AddHomeSection(Role.VehicleAdmin, "/Features/SealUp/Pages/_HomeVehicleAdmin.cshtml");
        services.AddHomeSection(Role.Inspector, "/Features/Workspace/_HomeInspector.cshtml");
        services.AddHomeSection(Role.Auditor, "/Features/Reports/Pages/_HomeAuditor.cshtml");
        services.AddHomeSection(Role.Admin, "/Features/Users/Pages/_HomeAdmin.cshtml");
        return services;
    }

    public static void MapFleetFeatures(this IEndpointRouteBuilder app)
    {
        app.MapAuthEndpoints();
        app.MapUserEndpoints();
        app.MapUnitEndpoints();
        Regions.RegionEndpoints.MapRegionEndpoints(app);
        Reports.RollUpEndpoints.MapRollUpEndpoints(app);
        app.MapVehicleEndpoints();
        app.MapViolationEndpoints();
        app.MapAuditEndpoints();
        app.MapHolidayEndpoints();
        app.MapScheduleEndpoints();
        app.MapExemptionEndpoints();
        app.MapSpotCheckEndpoints();
        Usage.UsageEndpoints.MapUsageEndpoints(app);
        Photos.EvidenceEndpoints.MapEvidenceEndpoints(app);
        app.MapCampaignEndpoints();
        app.MapRecoveryEndpoints();
        app.MapJobEndpoints();
        app.MapReportEndpoints();
    }
}
