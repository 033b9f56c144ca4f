using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Violations;

public sealed record PersonActionDto(Guid Id, Guid ViolationId, string PersonName, string Position, PersonActionKind Action, string? Note, DateTime RecordedAt, string RecordedBy);

public sealed record ViolationDto(
    Guid Id, ViolationType Type, Guid? VehicleId, string? PlateNumber, Guid UnitId, DateTime DetectedAt,
    ViolationSource Source, Guid? SourceId, ViolationStatus Status, string? Notes, DateTime? ClosedAt, string? CloseReason,
    IReadOnlyList<PersonActionDto> Actions);

public static class ViolationEndpoints
{
    public static void MapViolationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/violations").WithTags("Violations");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapViolationActions();
    }

    public static ViolationDto ToDto(Violation v, IEnumerable<PersonAction> actions) => new(v.Id, v.Type, v.VehicleId, v.PlateNumber, v.UnitId,
        v.DetectedAt, v.Source, v.SourceId, v.Status, v.Notes, v.ClosedAt, v.CloseReason, actions.Select(ToDto).ToList());

    public static PersonActionDto ToDto(PersonAction a) => new(a.Id, a.ViolationId, a.PersonName, a.Position, a.Action, a.Note, a.RecordedAt, a.RecordedBy);

    public static async Task<Results<Ok<ViolationDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, ViolationQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } found ? TypedResults.Ok(ToDto(found.Violation, found.Actions)) : Problems.NotFound("Violations.NotFound");

    public static async Task<Results<Ok<Paged<ViolationDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? unitId, ViolationType? type, ViolationStatus? status, string? from, string? to, string? plateNumber,
        ClaimsPrincipal user, ViolationQueries queries, LocalTime local, CancellationToken ct)
    {
        var args = new ListArgs(paging, from, to).Bind(local);
        if (args.Errors is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new ViolationFilter(args.Range, unitId, type, status, Plate: plateNumber), args.Page, ct);
        var actions = await queries.ActionsAsync(page.Items.Select(r => r.Violation), ct);
        return TypedResults.Ok(page.Map(r => ToDto(r.Violation, actions[r.Violation.Id])));
    }
}
