using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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
        ClaimsPrincipal user, SpotCheckQueries queries, LocalTime local, CancellationToken ct)
    {
        var args = new ListArgs(paging, from, to).Bind(local);
        if (args.Errors is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new SpotCheckFilter(args.Range, unitId, vehicleId, finding, plateNumber), args.Page, ct);
        return TypedResults.Ok(page.Map(r => ToDto(r.Check, r.CorrectedBy)));
    }

    public static async Task<Results<Ok<SpotCheckDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, SpotCheckQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } row ? TypedResults.Ok(ToDto(row.Check, row.CorrectedBy)) : Problems.NotFound("SpotChecks.NotFound");

    private static SpotCheckDto ToDto(SpotCheck s, Guid? correctedBy) => new(s.Id, s.VehicleId, s.PlateNumber, s.UnitId, s.CheckedAt, s.Location,
        s.Finding, s.Notes, s.CorrectsId, correctedBy, correctedBy is not null, s.ViolationId, s.RecordedAt, s.RecordedBy);
}
