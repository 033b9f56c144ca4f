using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Violations;

/// <summary>What inspectors do with violations: enter one by hand, record actions against persons, resolve or dismiss.</summary>
public static class ViolationActions
{
    public sealed record ManualRequest(ViolationType? Type, Guid? VehicleId, string? PlateNumber, Guid? UnitId, string? Notes);

    public sealed record ActionRequest(string? PersonName, string? Position, PersonActionKind? Action, string? Note);

    public sealed record CloseRequest(string? Reason);

    public sealed class ManualValidator : RequestValidator<ManualRequest>
    {
        public ManualValidator()
        {
            RuleFor(r => r.Type).NotNull();
            RuleFor(r => r.UnitId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.Notes).NotEmpty().MaximumLength(2000);
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Vehicles.Plates.IsValid(Vehicles.Plates.Normalise(p))).When(r => r.PlateNumber is not null).Refuse("Vehicles.NotAPlate");
        }
    }

    public sealed class ActionValidator : RequestValidator<ActionRequest>
    {
        public ActionValidator()
        {
            RuleFor(r => r.PersonName).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Position).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Action).NotNull();
            RuleFor(r => r.Note).MaximumLength(2000);
        }
    }

    public sealed class CloseValidator : RequestValidator<CloseRequest>
    {
        public CloseValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
    }

    public static void MapViolationActions(this RouteGroupBuilder group)
    {
        group.MapPost("/", Enter).AllowRoles(Role.Inspector).Validate<ManualRequest>();
        group.MapPost("/{id:guid}/actions", AddAction).AllowRoles(Role.Inspector).Validate<ActionRequest>();
        group.MapPost("/{id:guid}/resolve", (Guid id, CloseRequest request, ClaimsPrincipal user, ViolationRules rules, FleetDbContext db, CancellationToken ct) =>
            Close(id, ViolationStatus.Resolved, request, user, rules, db, ct)).AllowRoles(Role.Inspector).Validate<CloseRequest>();
        group.MapPost("/{id:guid}/dismiss", (Guid id, CloseRequest request, ClaimsPrincipal user, ViolationRules rules, FleetDbContext db, CancellationToken ct) =>
            Close(id, ViolationStatus.Dismissed, request, user, rules, db, ct)).AllowRoles(Role.Inspector).Validate<CloseRequest>();
    }

    public static Task<Results<Created<ViolationDto>, ValidationProblem, ProblemHttpResult>> Enter(
        ManualRequest request, ClaimsPrincipal user, ViolationRules rules, CancellationToken ct) =>
        rules.EnterAsync(Caller.From(user), new ManualViolation(request.Type!.Value, request.VehicleId, request.PlateNumber, request.UnitId!.Value, request.Notes!), ct)
            .ToCreatedAsync(v => $"/api/violations/{v.Id}", v => ViolationEndpoints.ToDto(v, []));

    public static Task<Results<Created<PersonActionDto>, ValidationProblem, ProblemHttpResult>> AddAction(
        Guid id, ActionRequest request, ClaimsPrincipal user, ViolationRules rules, CancellationToken ct) =>
        rules.AddActionAsync(Caller.From(user), id, new PersonActionInput(request.PersonName!, request.Position!, request.Action!.Value, request.Note), ct)
            .ToCreatedAsync(a => $"/api/violations/{id}/actions/{a.Id}", ViolationEndpoints.ToDto);

    public static Task<Results<Ok<ViolationDto>, ValidationProblem, ProblemHttpResult>> Close(
        Guid id, ViolationStatus to, CloseRequest request, ClaimsPrincipal user, ViolationRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.CloseAsync(Caller.From(user), id, to, request.Reason!, ct).ToOkAsync(async v =>
            ViolationEndpoints.ToDto(v, await db.PersonActions.AsNoTracking().Where(a => a.ViolationId == id).OrderBy(a => a.RecordedAt).ToListAsync(ct)));
}
