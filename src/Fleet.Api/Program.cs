using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Api.Features.Audit;
using Fleet.Api.Features.Auth;
using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.Reports;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.SpotChecks;
using Fleet.Api.Features.Units;
using Fleet.Api.Features.Users;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Violations;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var fleet = builder.Configuration.GetSection("Fleet").Get<FleetOptions>() ?? new FleetOptions();
using var startupLogs = LoggerFactory.Create(l => l.AddConsole());
var startupLogger = startupLogs.CreateLogger("Fleet.Startup");

if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = fleet.MaxRequestBodyBytes);

builder.Services.Configure<FleetOptions>(builder.Configuration.GetSection("Fleet"));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LocalTime>();
builder.Services.AddFleetDatabase(builder.Configuration, fleet);
builder.Services.AddFleetAuth(fleet, startupLogger);
builder.Services.AddScoped<Standards>();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddScoped<DemoReport>();
builder.Services.Configure<Fleet.Api.Features.Reports.ReportOptions>(builder.Configuration.GetSection("Fleet:Reports"));
builder.Services.AddScoped<Fleet.Api.Features.Reports.ReportFile>();
builder.Services.AddFleetJobs(builder.Configuration);

ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
// Validators hold only singletons and are thread-safe once built: built once, not per request.
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
});
// Binding failures reach the exception handler, which names the field, instead of an empty 400.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLogging();
app.UseRouting();
app.UseBodySizeLimit();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/health", async (FleetDbContext db, CancellationToken ct) =>
    await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "Healthy" }) : Results.Problem("The database does not answer.", statusCode: 503))
    .AllowAnonymous().WithTags("Health");
// For the throughput benchmark only: the cheapest authenticated endpoint, as the yardstick for the real ones.
if (builder.Configuration.GetValue<bool>("Fleet:Benchmark:Endpoints"))
    app.MapGet("/api/bench/ping", () => TypedResults.Ok(new { pong = true })).ExcludeFromDescription();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapAuthEndpoints();
app.MapUserEndpoints();
app.MapUnitEndpoints();
app.MapVehicleEndpoints();
app.MapViolationEndpoints();
app.MapAuditEndpoints();
app.MapHolidayEndpoints();
app.MapScheduleEndpoints();
app.MapExemptionEndpoints();
app.MapSpotCheckEndpoints();
app.MapCampaignEndpoints();
app.MapRecoveryEndpoints();
app.MapJobEndpoints();
app.MapReportEndpoints();

await Database.PrepareAsync(app.Services, startupLogger);
var createdPassword = await Bootstrap.EnsureAdminAsync(app.Services, startupLogger);
if (fleet.Seed.Demo ?? !Database.IsSqlServer(builder.Configuration))
{
    await using var scope = app.Services.CreateAsyncScope();
    var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
    await seeder.SeedAsync(seeder.DemoPassword(createdPassword));
}
Jobs.RegisterRecurringJobs(app.Services);

app.Run();

public partial class Program;
