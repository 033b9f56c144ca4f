using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>The requests of one schedule.</summary>
    public static Task<Results<Ok<Paged<ExemptionDto>>, ValidationProblem>> List(
        Guid id, [AsParameters] PageQuery paging, ExemptionStatus? status, string? plateNumber, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct) =>
        Queue(paging, status, id, null, plateNumber, user, db, ct);

    /// <summary>What waits for a decision (and what was decided), across schedules; a VehicleAdmin sees their own unit's.</summary>
    public static async Task<Results<Ok<Paged<ExemptionDto>>, ValidationProblem>> Queue(
        [AsParameters] PageQuery paging, ExemptionStatus? status, Guid? scheduleId, Guid? unitId, string? plateNumber,
        ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var exemptions = db.Exemptions.AsNoTracking().VisibleTo(Caller.From(user));
        if (status is not null) exemptions = exemptions.Where(e => e.Status == status);
        if (scheduleId is not null) exemptions = exemptions.Where(e => e.ScheduleId == scheduleId);
        if (unitId is not null) exemptions = exemptions.Where(e => e.UnitId == unitId);
        var query = exemptions.Join(db.Vehicles, e => e.VehicleId, v => v.Id, (e, v) => new { e, v.PlateNumber })
            .WherePlateContains(x => x.PlateNumber, plateNumber)
            .OrderBy(x => x.e.RequestedAt).ThenBy(x => x.e.Id);
        var page = await paging.ApplyAsync(query, ct);
        return TypedResults.Ok(new Paged<ExemptionDto>(page.Items.Select(x => ExemptionDto.From(x.e, x.PlateNumber)).ToList(), page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<ExemptionDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var found = await db.Exemptions.AsNoTracking().VisibleTo(Caller.From(user)).Where(e => e.Id == id)
            .Join(db.Vehicles, e => e.VehicleId, v => v.Id, (e, v) => new { e, v.PlateNumber }).FirstOrDefaultAsync(ct);
        return found is null ? Problems.NotFound("SealUp.ExemptionNotFound") : TypedResults.Ok(ExemptionDto.From(found.e, found.PlateNumber));
    }

    private static Task<Results<Ok<ExemptionDto>, ValidationProblem, ProblemHttpResult>> Decide(
        Guid id, bool approve, DecisionRequest? request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.DecideAsync(Caller.From(user), id, approve, request?.Note, ct).ToOkAsync(e => DtoAsync(db, e, ct));

    private static async Task<ExemptionDto> DtoAsync(FleetDbContext db, Exemption e, CancellationToken ct) =>
        ExemptionDto.From(e, await db.Vehicles.Where(v => v.Id == e.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct));
}
