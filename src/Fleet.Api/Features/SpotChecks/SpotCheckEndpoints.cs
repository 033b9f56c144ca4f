using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SpotChecks;

public sealed record SpotCheckDto(
    Guid Id, Guid? VehicleId, string PlateNumber, Guid UnitId, DateTime CheckedAt, string Location, SpotCheckFinding Finding,
    string? Notes, Guid? CorrectsId, Guid? CorrectedById, bool Corrected, Guid? ViolationId, DateTime RecordedAt, string RecordedBy);

/// <summary>Spot checks are evidence: recorded, listed, read; never edited or deleted (no PUT or DELETE route: 405).</summary>
public static class SpotCheckEndpoints
{
    public sealed record Request(Guid? VehicleId, string? PlateNumber, Guid? UnitId, DateTime? CheckedAt, string? Location,
        SpotCheckFinding? Finding, string? Notes, Guid? CorrectsId);

    public sealed class Validator : RequestValidator<Request>
    {
        public Validator(TimeProvider clock, LocalTime local)
        {
            RuleFor(r => r.PlateNumber).NotEmpty().When(r => r.VehicleId is null).Refuse("Common.VehicleOrPlate");
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Plates.IsValid(Plates.Normalise(p))).When(r => r.PlateNumber is not null)
                .Refuse("Vehicles.NotAPlate");
            RuleFor(r => r.CheckedAt).NotNull()
                .Must(t => t is null || local.InstantToUtc(t.Value) <= clock.GetUtcNow().UtcDateTime.AddMinutes(5)).Refuse("SpotChecks.InFuture")
                .Must(t => t is null || t.Value.Year >= 2000).Refuse("SpotChecks.TooEarly");
            RuleFor(r => r.Location).NotEmpty().MaximumLength(200);
            RuleFor(r => r.Finding).NotNull();
            RuleFor(r => r.Notes).MaximumLength(2000);
        }
    }

    public static void MapSpotCheckEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/spot-checks").WithTags("SpotChecks");
        group.MapPost("/", Record).AllowRoles(Role.Inspector).Validate<Request>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
    }

    public static Task<Results<Created<SpotCheckDto>, ValidationProblem, ProblemHttpResult>> Record(
        Request request, ClaimsPrincipal user, SpotCheckRules rules, CancellationToken ct) =>
        rules.RecordAsync(Caller.From(user), new SpotCheckInput(request.VehicleId, request.PlateNumber, request.UnitId, request.CheckedAt!.Value,
            request.Location!, request.Finding!.Value, request.Notes, request.CorrectsId), ct)
            .ToCreatedAsync(c => $"/api/spot-checks/{c.Id}", c => ToDto(c, null));

    public static async Task<Results<Ok<Paged<SpotCheckDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? from, string? to, Guid? unitId, Guid? vehicleId, SpotCheckFinding? finding, string? plateNumber,
        ClaimsPrincipal user, FleetDbContext db, LocalTime local, CancellationToken ct)
    {
        var range = local.ParseRange(from, to);
        if ((paging.Errors() ?? range.Errors) is { } errors) return Problems.Invalid(errors);
        var checks = db.SpotChecks.AsNoTracking().VisibleTo(Caller.From(user));
        if (unitId is not null) checks = checks.Where(s => s.UnitId == unitId);
        if (vehicleId is not null) checks = checks.Where(s => s.VehicleId == vehicleId);
        if (finding is not null) checks = checks.Where(s => s.Finding == finding);
        checks = checks.WherePlateContains(s => s.PlateNumber, plateNumber);
        if (range.From is not null) checks = checks.Where(s => s.CheckedAt >= range.From);
        if (range.To is not null) checks = checks.Where(s => s.CheckedAt < range.To);
        var query = checks.OrderByDescending(s => s.CheckedAt).ThenBy(s => s.Id)
            // Through the corrections table's key: SpotChecks.CorrectsId has no index, and on the province (2,000,000
            // checks) looking it up per row took over a minute for one page.
            .Select(s => new { Check = s, CorrectedBy = db.SpotCheckCorrections.Where(c => c.CorrectedId == s.Id).Select(c => (Guid?)c.CorrectionId).FirstOrDefault() });
        var page = await paging.ApplyAsync(query, ct);
        return TypedResults.Ok(new Paged<SpotCheckDto>(page.Items.Select(x => ToDto(x.Check, x.CorrectedBy)).ToList(), page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<SpotCheckDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var check = await db.SpotChecks.AsNoTracking().VisibleTo(Caller.From(user)).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (check is null) return Problems.NotFound("SpotChecks.NotFound");
        var correctedBy = await db.SpotCheckCorrections.Where(c => c.CorrectedId == id).Select(c => (Guid?)c.CorrectionId).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(ToDto(check, correctedBy));
    }

    private static SpotCheckDto ToDto(SpotCheck s, Guid? correctedBy) => new(s.Id, s.VehicleId, s.PlateNumber, s.UnitId, s.CheckedAt, s.Location,
        s.Finding, s.Notes, s.CorrectsId, correctedBy, correctedBy is not null, s.ViolationId, s.RecordedAt, s.RecordedBy);
}
