using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Fleet.Api.Features.SealUp;

public sealed record ExemptionDto(
    Guid Id, Guid ScheduleId, Guid OrderId, Guid SealOrderId, Guid VehicleId, string PlateNumber, Guid UnitId, string Reason, ExemptionStatus Status,
    DateTime RequestedAt, string RequestedBy, DateTime? DecidedAt, string? DecidedBy, string? DecisionNote)
{
    public static ExemptionDto From(Exemption e, string plate) => new(e.Id, e.ScheduleId, e.SealOrderId, e.SealOrderId, e.VehicleId, plate, e.UnitId,
        e.Reason, e.Status, e.RequestedAt, e.RequestedBy, e.DecidedAt, e.DecidedBy, e.DecisionNote);
}

public static class ExemptionEndpoints
{
    public sealed record ExemptionRequest(Guid? VehicleId, string? Reason);

    public sealed record DecisionRequest(string? Note);

    public sealed class Validator : RequestValidator<ExemptionRequest>
    {
        public Validator()
        {
            RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
        }
    }

    public static void MapExemptionEndpoints(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/api/exemptions").WithTags("SealUp");
        queue.MapGet("/", Queue).AllowRoles(Role.Admin, Role.Inspector, Role.Auditor, Role.VehicleAdmin);
        queue.MapGet("/{id:guid}", Get).AllowRoles(Role.Admin, Role.Inspector, Role.Auditor, Role.VehicleAdmin);
        var group = app.MapGroup("/api/exemptions").WithTags("SealUp").AllowRoles(Role.Admin, Role.Inspector);
        group.MapPost("/{id:guid}/approve", (Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DecisionRequest? request,
            ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) => Decide(id, approve: true, request, user, rules, db, ct));
        group.MapPost("/{id:guid}/reject", (Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DecisionRequest? request,
            ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) => Decide(id, approve: false, request, user, rules, db, ct));
    }

    /// <summary>A unit asks for one of its vehicles to stay in service over the holiday, or a sealed one to be released early.</summary>
    public static Task<Results<Created<ExemptionDto>, ValidationProblem, ProblemHttpResult>> Request(
        Guid id, ExemptionRequest request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.RequestExemptionAsync(Caller.From(user), id, request.VehicleId!.Value, request.Reason!, ct)
            .ToCreatedAsync(e => $"/api/exemptions/{e.Id}", e => DtoAsync(db, e, ct));

    /// <summary>The requests of one schedule; a schedule the caller does not see is not found, as for its orders.</summary>
    public static async Task<Results<Ok<Paged<ExemptionDto>>, ValidationProblem, ProblemHttpResult>> List(
        Guid id, [AsParameters] PageQuery paging, ExemptionStatus? status, string? plateNumber, ClaimsPrincipal user, ExemptionQueries queries,
        FleetDbContext db, CancellationToken ct)
    {
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("SealUp.ScheduleNotFound");
        return (await Queue(paging, status, id, null, plateNumber, user, queries, ct)).Result switch
        {
            Ok<Paged<ExemptionDto>> ok => ok,
            ValidationProblem invalid => invalid,
            var other => throw new InvalidOperationException($"Unexpected {other?.GetType().Name}"),
        };
    }

    /// <summary>What waits for a decision (and what was decided), across schedules; a VehicleAdmin sees their own unit's.</summary>
    public static async Task<Results<Ok<Paged<ExemptionDto>>, ValidationProblem>> Queue(
        [AsParameters] PageQuery paging, ExemptionStatus? status, Guid? scheduleId, Guid? unitId, string? plateNumber,
        ClaimsPrincipal user, ExemptionQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new ExemptionFilter(status, scheduleId, unitId, plateNumber), paging.ToRequest(), ct);
        return TypedResults.Ok(page.Map(r => ExemptionDto.From(r.Exemption, r.Plate)));
    }

    public static async Task<Results<Ok<ExemptionDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, ExemptionQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } found ? TypedResults.Ok(ExemptionDto.From(found.Exemption, found.Plate)) : Problems.NotFound("SealUp.ExemptionNotFound");

    private static Task<Results<Ok<ExemptionDto>, ValidationProblem, ProblemHttpResult>> Decide(
        Guid id, bool approve, DecisionRequest? request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.DecideAsync(Caller.From(user), id, approve, request?.Note, ct).ToOkAsync(e => DtoAsync(db, e, ct));

    private static async Task<ExemptionDto> DtoAsync(FleetDbContext db, Exemption e, CancellationToken ct) =>
        ExemptionDto.From(e, await db.Vehicles.Where(v => v.Id == e.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct));
}
