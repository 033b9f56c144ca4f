using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Violations;

/// <summary>What inspectors do with violations: enter one by hand, record actions against persons, resolve or dismiss.</summary>
public static class ViolationActions
{
    public sealed record ManualRequest(ViolationType? Type, Guid? VehicleId, string? PlateNumber, Guid? UnitId, string? Notes);

    public sealed record ActionRequest(string? PersonName, string? Position, PersonActionKind? Action, string? Note);

    public sealed record CloseRequest(string? Reason);

    public sealed class ManualValidator : AbstractValidator<ManualRequest>
    {
        public ManualValidator()
        {
            RuleFor(r => r.Type).NotNull();
            RuleFor(r => r.UnitId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.Notes).NotEmpty().MaximumLength(2000);
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Vehicles.Plates.IsValid(Vehicles.Plates.Normalise(p))).When(r => r.PlateNumber is not null).WithMessage("Not a mainland plate.");
        }
    }

    public sealed class ActionValidator : AbstractValidator<ActionRequest>
    {
        public ActionValidator()
        {
            RuleFor(r => r.PersonName).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Position).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Action).NotNull();
            RuleFor(r => r.Note).MaximumLength(2000);
        }
    }

    public sealed class CloseValidator : AbstractValidator<CloseRequest>
    {
        public CloseValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
    }

    public static void MapViolationActions(this RouteGroupBuilder group)
    {
        group.MapPost("/", Enter).AllowRoles(Role.Inspector).Validate<ManualRequest>();
        group.MapPost("/{id:guid}/actions", AddAction).AllowRoles(Role.Inspector).Validate<ActionRequest>();
        group.MapPost("/{id:guid}/resolve", (Guid id, CloseRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct) =>
            Close(id, ViolationStatus.Resolved, request, user, db, clock, ct)).AllowRoles(Role.Inspector).Validate<CloseRequest>();
        group.MapPost("/{id:guid}/dismiss", (Guid id, CloseRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct) =>
            Close(id, ViolationStatus.Dismissed, request, user, db, clock, ct)).AllowRoles(Role.Inspector).Validate<CloseRequest>();
    }

    public static async Task<Results<Created<ViolationDto>, ValidationProblem>> Enter(
        ManualRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        string? plate = null;
        Guid? vehicleId = null;
        if (request.VehicleId is not null || request.PlateNumber is not null)
        {
            var target = await ViolationTargets.ResolveAsync(db, request.VehicleId, request.PlateNumber, request.UnitId, ct);
            if (target.Problem is not null) return target.Problem;
            (plate, vehicleId) = (target.PlateNumber, target.VehicleId);
        }
        else if (!await db.Units.AnyAsync(u => u.Id == request.UnitId, ct))
        {
            return Problems.Field("unitId", "No unit has this id.");
        }
        var violation = new Violation
        {
            Type = request.Type!.Value,
            VehicleId = vehicleId,
            PlateNumber = plate,
            UnitId = request.UnitId!.Value,
            DetectedAt = clock.GetUtcNow().UtcDateTime,
            Source = ViolationSource.Manual,
            Status = ViolationStatus.Open,
            Notes = request.Notes!.Trim(),
            RecordedBy = user.Identity!.Name,
        };
        db.Violations.Add(violation);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/violations/{violation.Id}", ViolationEndpoints.ToDto(violation, []));
    }

    /// <summary>An action against a person is evidence: recorded once, never edited or deleted.</summary>
    public static async Task<Results<Created<PersonActionDto>, ProblemHttpResult>> AddAction(
        Guid id, ActionRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var violation = await db.Violations.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (violation is null) return Problems.NotFound("The violation");
        if (violation.Status == ViolationStatus.Dismissed) return Problems.Conflict("The violation was dismissed; no action is taken on it.");
        var action = new PersonAction
        {
            ViolationId = id,
            PersonName = request.PersonName!.Trim(),
            Position = request.Position!.Trim(),
            Action = request.Action!.Value,
            Note = request.Note?.Trim(),
            RecordedAt = clock.GetUtcNow().UtcDateTime,
            RecordedBy = user.Identity!.Name!,
        };
        db.PersonActions.Add(action);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/violations/{id}/actions/{action.Id}", ViolationEndpoints.ToDto(action));
    }

    public static async Task<Results<Ok<ViolationDto>, ProblemHttpResult>> Close(
        Guid id, ViolationStatus to, CloseRequest request, ClaimsPrincipal user, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var violation = await db.Violations.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (violation is null) return Problems.NotFound("The violation");
        if (violation.Status != ViolationStatus.Open) return Problems.Conflict($"The violation is already {violation.Status}.");
        violation.Status = to;
        violation.ClosedAt = clock.GetUtcNow().UtcDateTime;
        violation.ClosedBy = user.Identity!.Name;
        violation.CloseReason = request.Reason!.Trim();
        db.AuditAs(violation, to == ViolationStatus.Resolved ? "Resolve" : "Dismiss");
        await db.SaveChangesAsync(ct);
        var actions = await db.PersonActions.AsNoTracking().Where(a => a.ViolationId == id).OrderBy(a => a.RecordedAt).ToListAsync(ct);
        return TypedResults.Ok(ViolationEndpoints.ToDto(violation, actions));
    }
}
