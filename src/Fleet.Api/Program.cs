using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Api.Demo;
using Fleet.Api.Features;
using Fleet.Api.Features.Jobs;
using Fleet.Api.Features.Users;
using Fleet.Api.Features.Workspace;
using FluentValidation;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var fleet = builder.Configuration.GetSection("Fleet").Get<FleetOptions>() ?? new FleetOptions();
using var startupLogs = LoggerFactory.Create(l => l.AddConsole());
var startupLogger = startupLogs.CreateLogger("Fleet.Startup");

if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = fleet.MaxRequestBodyBytes);

// The console log in the standard format, written in batches (one write per 200 ms, warnings at once): see BatchedConsole.
builder.Logging.ClearProviders();
builder.Logging.AddEventSourceLogger();
builder.Services.AddSingleton<ILoggerProvider, BatchedConsole>();

builder.Services.Configure<FleetOptions>(builder.Configuration.GetSection("Fleet"));
builder.Services.AddFleetClocks();
builder.Services.AddSingleton<LocalTime>();
builder.Services.AddFleetDatabase(builder.Configuration, fleet);
builder.Services.AddFleetAuth(fleet, startupLogger);
builder.Services.AddFleetFeatures(builder.Configuration, fleet);
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddWorkspace();

ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
// Validators hold only singletons and are thread-safe once built: built once, not per request.
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    // Numbers are numbers: "1.5" in quotes is refused, and the OpenAPI document types them as numbers only.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    // Enums by name only: no numbers, no other case, no comma-joined names read as flags.
    o.SerializerOptions.Converters.Add(new StrictEnumConverterFactory());
});
// Binding failures reach the exception handler, which names the field, instead of an empty 400.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
// Problems the framework writes with no body of ours (401, 403, 404, 405, 415) get a code and detail too.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddFleetOpenApi(ApiSummaries.Of);

var app = builder.Build();

// For the throughput benchmark only (with its endpoints on): Fleet:Benchmark:Without names pieces of the pipeline to leave
// out, to measure what each costs (docs/performance.md). Who may do what (authentication, authorization, the region
// scope) is never left out.
var without = builder.Configuration.GetValue<bool>("Fleet:Benchmark:Endpoints")
    ? builder.Configuration["Fleet:Benchmark:Without"]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []
    : [];
if (without.Length > 0) startupLogger.LogWarning("Benchmark build of the pipeline: left out {Pieces}", string.Join(", ", without));
bool With(string piece) => !without.Contains(piece);
// Outermost, so the line records the status the client got, also when the exception handler wrote it.
if (With("request-log")) app.UseRequestLogging();
if (With("safety-headers")) app.UseSafetyHeaders(Auth.DashboardPath);
if (With("exception-handler")) app.UseExceptionHandler();
if (With("status-pages")) app.UseStatusCodePages();
if (With("workspace")) app.UseWorkspace();
app.UseRouting();
if (With("body-limit")) app.UseBodySizeLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseRegionScope();
if (With("idempotency")) app.UseIdempotentWrites();
if (With("antiforgery")) app.UseAntiforgery();
if (With("strict-query")) app.UseStrictQueryEnums();

app.MapGet("/health", async Task<Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Ok<Health>, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>> (FleetDbContext db, CancellationToken ct) =>
    await db.Database.CanConnectAsync(ct) ? TypedResults.Ok(new Health("Healthy")) : TypedResults.Problem("The database does not answer.", statusCode: 503))
    .AllowAnonymous().WithTags("Health");
// For the throughput benchmark only: the cheapest authenticated endpoint, as the yardstick for the real ones.
if (builder.Configuration.GetValue<bool>("Fleet:Benchmark:Endpoints"))
    app.MapGet("/api/bench/ping", () => TypedResults.Ok(new { pong = true })).ExcludeFromDescription();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapFleetFeatures();
app.MapWorkspace();

// Resolved now, so the host disposes it (and lets go of the data directory) when it stops.
app.Services.GetService<DataDirectoryLock>();
await Database.PrepareAsync(app.Services, startupLogger);
await Fleet.Api.Features.Regions.RegionRoot.EnsureAsync(app.Services, startupLogger);
var createdPassword = await Bootstrap.EnsureAdminAsync(app.Services, startupLogger);
if (fleet.Seed.Demo ?? !Database.IsServer(builder.Configuration))
{
    await using var scope = app.Services.CreateAsyncScope();
    var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
    await seeder.SeedAsync(seeder.DemoPassword(createdPassword));
}
JobsModule.RegisterRecurringJobs(app.Services);

app.Run();

public partial class Program;

/// <summary>The answer of GET /health.</summary>
public sealed record Health(string Status);
