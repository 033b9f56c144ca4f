using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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

    public sealed class OpenValidator : RequestValidator<OpenRequest>
    {
        public OpenValidator()
        {
            RuleFor(r => r.CampaignId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.UnitId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.PlateNumber).NotEmpty().When(r => r.VehicleId is null).Refuse("Common.VehicleOrPlate");
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Vehicles.Plates.IsValid(Vehicles.Plates.Normalise(p))).When(r => r.PlateNumber is not null).Refuse("Vehicles.NotAPlate");
            RuleFor(r => r.Reason).NotNull();
            RuleFor(r => r.DueOn).NotNull().InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
        }
    }

    public sealed class RecoverValidator : RequestValidator<RecoverRequest>
    {
        public RecoverValidator()
        {
            RuleFor(r => r.RecoveredOn).NotNull().GreaterThanOrEqualTo(new DateOnly(2000, 1, 1));
            RuleFor(r => r.Disposition).NotNull();
        }
    }

    public sealed class CancelValidator : RequestValidator<CancelRequest>
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

    public static Task<Results<Created<RecoveryDto>, ValidationProblem, ProblemHttpResult>> Open(
        OpenRequest request, ClaimsPrincipal user, RecoveryRules rules, CancellationToken ct) =>
        rules.OpenAsync(Caller.From(user), new OpenCase(request.CampaignId!.Value, request.VehicleId, request.PlateNumber, request.UnitId!.Value,
            request.Reason!.Value, request.DueOn!.Value), ct).ToCreatedAsync(r => $"/api/recoveries/{r.Id}", RecoveryDto.From);

    public static Task<Results<Ok<RecoveryDto>, ValidationProblem, ProblemHttpResult>> Recover(
        Guid id, RecoverRequest request, ClaimsPrincipal user, RecoveryRules rules, CancellationToken ct) =>
        rules.RecoverAsync(Caller.From(user), id, request.RecoveredOn!.Value, request.Disposition!.Value, ct).ToOkAsync(RecoveryDto.From);

    public static Task<Results<Ok<RecoveryDto>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelRequest request, ClaimsPrincipal user, RecoveryRules rules, CancellationToken ct) =>
        rules.CancelAsync(Caller.From(user), id, request.Reason!, ct).ToOkAsync(RecoveryDto.From);

    public static async Task<Results<Ok<Paged<RecoveryDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? campaignId, Guid? unitId, RecoveryStatus? status, string? plateNumber, ClaimsPrincipal user, RecoveryQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new RecoveryFilter(campaignId, unitId, status, plateNumber), paging.ToRequest(), ct);
        return TypedResults.Ok(page.Map(r => RecoveryDto.From(r.Case)));
    }

    public static async Task<Results<Ok<RecoveryDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, RecoveryQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } found ? TypedResults.Ok(RecoveryDto.From(found.Case)) : Problems.NotFound("Recoveries.CaseNotFound");
}
