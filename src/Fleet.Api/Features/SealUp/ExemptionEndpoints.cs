using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SealUp;

public sealed record ExemptionDto(
    Guid Id, Guid ScheduleId, Guid SealOrderId, Guid VehicleId, Guid UnitId, string Reason, ExemptionStatus Status,
    DateTime RequestedAt, string RequestedBy, DateTime? DecidedAt, string? DecidedBy, string? DecisionNote)
{
    public static ExemptionDto From(Exemption e) => new(e.Id, e.ScheduleId, e.SealOrderId, e.VehicleId, e.UnitId, e.Reason, e.Status,
        e.RequestedAt, e.RequestedBy, e.DecidedAt, e.DecidedBy, e.DecisionNote);
}

public static class ExemptionEndpoints
{
    public sealed record ExemptionRequest(Guid? VehicleId, string? Reason);

    public sealed record DecisionRequest(string? Note);

    public sealed class Validator : AbstractValidator<ExemptionRequest>
    {
        public Validator()
        {
            RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
        }
    }

    public static void MapExemptionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/exemptions").WithTags("SealUp").AllowRoles(Role.Admin, Role.Inspector);
        group.MapPost("/{id:guid}/approve", (Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DecisionRequest? request,
            ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct) => Decide(id, approve: true, request, user, db, clock, ct));
        group.MapPost("/{id:guid}/reject", (Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DecisionRequest? request,
            ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct) => Decide(id, approve: false, request, user, db, clock, ct));
    }

    /// <summary>A unit asks for one of its vehicles to stay in service over the holiday.</summary>
    public static async Task<Results<Created<ExemptionDto>, ProblemHttpResult>> Request(
        Guid id, ExemptionRequest request, ClaimsPrincipal user, FleetDbContext db, SealOrderSets sets, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (schedule, order, problem) = await SealOrderEndpoints.FindAsync(id, request.VehicleId!.Value, Caller.From(user), db, sets, now, ct);
        if (problem is not null) return problem;
        if (now >= schedule!.ReleaseAt) return Problems.Conflict("The holiday is over: the schedule has passed its release time.");
        if (order!.Status is not (SealOrderStatus.Pending or SealOrderStatus.Overdue))
            return Problems.Conflict($"The order is {order.Status}; an exemption is asked for a vehicle not yet sealed.");
        if (await db.Exemptions.AnyAsync(e => e.SealOrderId == order.Id && e.Status == ExemptionStatus.Requested, ct))
            return Problems.Conflict("An exemption for this vehicle is already awaiting a decision.");
        var exemption = new Exemption
        {
            SealOrderId = order.Id,
            ScheduleId = id,
            VehicleId = order.VehicleId,
            UnitId = order.UnitId,
            Reason = request.Reason!.Trim(),
            Status = ExemptionStatus.Requested,
            RequestedAt = now,
            RequestedBy = user.Identity!.Name!,
        };
        db.Exemptions.Add(exemption);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/exemptions/{exemption.Id}", ExemptionDto.From(exemption));
    }

    public static async Task<Results<Ok<Paged<ExemptionDto>>, ValidationProblem>> List(
        Guid id, [AsParameters] PageQuery paging, ExemptionStatus? status, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var exemptions = db.Exemptions.AsNoTracking().VisibleTo(Caller.From(user)).Where(e => e.ScheduleId == id);
        if (status is not null) exemptions = exemptions.Where(e => e.Status == status);
        var page = await paging.ApplyAsync(exemptions.OrderBy(e => e.RequestedAt), ct);
        return TypedResults.Ok(new Paged<ExemptionDto>(page.Items.Select(ExemptionDto.From).ToList(), page.Page, page.PageSize, page.Total));
    }

    private static async Task<Results<Ok<ExemptionDto>, ValidationProblem, ProblemHttpResult>> Decide(
        Guid id, bool approve, DecisionRequest? request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (request?.Note is { Length: > 1000 }) return Problems.Field("note", "At most 1000 characters.");
        var exemption = await db.Exemptions.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (exemption is null) return Problems.NotFound("The exemption");
        if (exemption.Status != ExemptionStatus.Requested) return Problems.Conflict($"The exemption was already {exemption.Status}.");
        var order = await db.SealOrders.FirstAsync(o => o.Id == exemption.SealOrderId, ct);
        if (approve && order.Status is not (SealOrderStatus.Pending or SealOrderStatus.Overdue))
            return Problems.Conflict($"The order is {order.Status} now; it can no longer be exempted.");

        var now = clock.GetUtcNow().UtcDateTime;
        exemption.Status = approve ? ExemptionStatus.Approved : ExemptionStatus.Rejected;
        exemption.DecidedAt = now;
        exemption.DecidedBy = user.Identity!.Name;
        exemption.DecisionNote = request?.Note?.Trim();
        db.AuditAs(exemption, approve ? "Approve" : "Reject");
        if (approve)
        {
            order.Status = SealOrderStatus.Exempted;
            db.AuditAs(order, "Exempt");
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ExemptionDto.From(exemption));
    }
}
