using System.Security.Claims;
using Fleet.Api.Features.Violations;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Recoveries;

public sealed record RecoveryDto(
    Guid Id, Guid CampaignId, Guid? VehicleId, string PlateNumber, Guid UnitId, RecoveryReason Reason, DateOnly DueOn,
    RecoveryStatus Status, bool PastDue, DateOnly? RecoveredOn, RecoveryDisposition? Disposition, string? CancelReason,
    DateTime OpenedAt, string OpenedBy)
{
    public static RecoveryDto From(RecoveryCase r) => new(r.Id, r.CampaignId, r.VehicleId, r.PlateNumber, r.UnitId, r.Reason, r.DueOn,
        r.Status, r.PastDue, r.RecoveredOn, r.Disposition, r.CancelReason, r.OpenedAt, r.OpenedBy);
}

/// <summary>Recovery cases: an illegal official vehicle its original registration unit must give up.</summary>
public static class RecoveryEndpoints
{
    public sealed record OpenRequest(Guid? CampaignId, Guid? VehicleId, string? PlateNumber, Guid? UnitId, RecoveryReason? Reason, DateOnly? DueOn);

    public sealed record RecoverRequest(DateOnly? RecoveredOn, RecoveryDisposition? Disposition);

    public sealed record CancelRequest(string? Reason);

    public sealed class OpenValidator : AbstractValidator<OpenRequest>
    {
        public OpenValidator()
        {
            RuleFor(r => r.CampaignId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.UnitId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.PlateNumber).NotEmpty().When(r => r.VehicleId is null).WithMessage("Give vehicleId or plateNumber.");
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Vehicles.Plates.IsValid(Vehicles.Plates.Normalise(p))).When(r => r.PlateNumber is not null).WithMessage("Not a mainland plate.");
            RuleFor(r => r.Reason).NotNull();
            RuleFor(r => r.DueOn).NotNull().InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
        }
    }

    public sealed class RecoverValidator : AbstractValidator<RecoverRequest>
    {
        public RecoverValidator()
        {
            RuleFor(r => r.RecoveredOn).NotNull().GreaterThanOrEqualTo(new DateOnly(2000, 1, 1));
            RuleFor(r => r.Disposition).NotNull();
        }
    }

    public sealed class CancelValidator : AbstractValidator<CancelRequest>
    {
        public CancelValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
    }

    public static void MapRecoveryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/recoveries").WithTags("Recoveries");
        group.MapPost("/", Open).AllowRoles(Role.Inspector).Validate<OpenRequest>();
        group.MapGet("/", List);
        group.MapGet("/rates", RecoveryRates.Get);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/{id:guid}/recover", Recover).AllowRoles(Role.Inspector).Validate<RecoverRequest>();
        group.MapPost("/{id:guid}/cancel", Cancel).AllowRoles(Role.Inspector).Validate<CancelRequest>();
    }

    public static async Task<Results<Created<RecoveryDto>, ValidationProblem, ProblemHttpResult>> Open(
        OpenRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.CampaignId, ct);
        if (campaign is null) return Problems.Field("campaignId", "No campaign has this id.");
        if (request.DueOn < campaign.StartsOn) return Problems.Field("dueOn", "The due date cannot be before the campaign starts.");
        var target = await ViolationTargets.ResolveAsync(db, request.VehicleId, request.PlateNumber, request.UnitId, ct);
        if (target.Problem is not null) return target.Problem;
        if (await db.RecoveryCases.AnyAsync(r => r.PlateNumber == target.PlateNumber && r.Status == RecoveryStatus.Open, ct))
            return Problems.Conflict($"A recovery case for {target.PlateNumber} is already open.");

        Vehicle? vehicle = null;
        if (target.VehicleId is not null)
        {
            vehicle = await db.Vehicles.FirstAsync(v => v.Id == target.VehicleId, ct);
            if (vehicle.Status != VehicleStatus.Active)
                return Problems.Conflict($"The vehicle is {vehicle.Status}; only an active vehicle can be recovered.");
            vehicle.Status = VehicleStatus.UnderRecovery;
            db.AuditAs(vehicle, "UnderRecovery");
        }
        var recovery = new RecoveryCase
        {
            CampaignId = campaign.Id,
            VehicleId = target.VehicleId,
            PlateNumber = target.PlateNumber,
            UnitId = target.UnitId,
            Reason = request.Reason!.Value,
            DueOn = request.DueOn!.Value,
            Status = RecoveryStatus.Open,
            OpenedAt = clock.GetUtcNow().UtcDateTime,
            OpenedBy = user.Identity!.Name!,
        };
        db.RecoveryCases.Add(recovery);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/recoveries/{recovery.Id}", RecoveryDto.From(recovery));
    }

    public static async Task<Results<Ok<RecoveryDto>, ValidationProblem, ProblemHttpResult>> Recover(
        Guid id, RecoverRequest request, ClaimsPrincipal user, FleetDbContext db, LocalTime local, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (request.RecoveredOn > DateOnly.FromDateTime(local.ToLocal(now))) return Problems.Field("recoveredOn", "Cannot be in the future.");
        var recovery = await db.RecoveryCases.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (recovery is null) return Problems.NotFound("The recovery case");
        if (recovery.Status != RecoveryStatus.Open) return Problems.Conflict($"The case is already {recovery.Status}.");
        var startsOn = await db.Campaigns.Where(c => c.Id == recovery.CampaignId).Select(c => c.StartsOn).FirstAsync(ct);
        if (request.RecoveredOn < startsOn) return Problems.Field("recoveredOn", "Cannot be before the campaign started.");
        recovery.Status = RecoveryStatus.Recovered;
        recovery.RecoveredOn = request.RecoveredOn;
        recovery.Disposition = request.Disposition;
        recovery.ClosedAt = now;
        recovery.ClosedBy = user.Identity!.Name;
        db.AuditAs(recovery, "Recover");
        // A recovered vehicle leaves its unit's holding: it no longer counts against the quota.
        await SetVehicleStatusAsync(db, recovery, VehicleStatus.Recovered, "Recovered", ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RecoveryDto.From(recovery));
    }

    public static async Task<Results<Ok<RecoveryDto>, ProblemHttpResult>> Cancel(
        Guid id, CancelRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var recovery = await db.RecoveryCases.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (recovery is null) return Problems.NotFound("The recovery case");
        if (recovery.Status != RecoveryStatus.Open) return Problems.Conflict($"The case is already {recovery.Status}.");
        recovery.Status = RecoveryStatus.Cancelled;
        recovery.CancelReason = request.Reason!.Trim();
        recovery.ClosedAt = clock.GetUtcNow().UtcDateTime;
        recovery.ClosedBy = user.Identity!.Name;
        db.AuditAs(recovery, "Cancel");
        await SetVehicleStatusAsync(db, recovery, VehicleStatus.Active, "RecoveryCancelled", ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RecoveryDto.From(recovery));
    }

    private static async Task SetVehicleStatusAsync(FleetDbContext db, RecoveryCase recovery, VehicleStatus status, string action, CancellationToken ct)
    {
        if (recovery.VehicleId is null) return;
        var vehicle = await db.Vehicles.FirstAsync(v => v.Id == recovery.VehicleId, ct);
        if (vehicle.Status != VehicleStatus.UnderRecovery) return;
        vehicle.Status = status;
        db.AuditAs(vehicle, action);
    }

    public static async Task<Results<Ok<Paged<RecoveryDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? campaignId, Guid? unitId, RecoveryStatus? status, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var cases = db.RecoveryCases.AsNoTracking().VisibleTo(Caller.From(user));
        if (campaignId is not null) cases = cases.Where(r => r.CampaignId == campaignId);
        if (unitId is not null) cases = cases.Where(r => r.UnitId == unitId);
        if (status is not null) cases = cases.Where(r => r.Status == status);
        var page = await paging.ApplyAsync(cases.OrderBy(r => r.OpenedAt).ThenBy(r => r.Id), ct);
        return TypedResults.Ok(new Paged<RecoveryDto>(page.Items.Select(RecoveryDto.From).ToList(), page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<RecoveryDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var recovery = await db.RecoveryCases.AsNoTracking().VisibleTo(Caller.From(user)).FirstOrDefaultAsync(r => r.Id == id, ct);
        return recovery is null ? Problems.NotFound("The recovery case") : TypedResults.Ok(RecoveryDto.From(recovery));
    }
}
