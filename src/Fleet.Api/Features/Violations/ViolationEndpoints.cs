using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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

    public static async Task<Results<Ok<ViolationDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var violation = await db.Violations.AsNoTracking().VisibleTo(Caller.From(user)).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (violation is null) return Problems.NotFound("Violations.NotFound");
        var actions = await db.PersonActions.AsNoTracking().Where(a => a.ViolationId == id).OrderBy(a => a.RecordedAt).ToListAsync(ct);
        return TypedResults.Ok(ToDto(violation, actions));
    }

    public static async Task<Results<Ok<Paged<ViolationDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? unitId, ViolationType? type, ViolationStatus? status, string? from, string? to, string? plateNumber,
        ClaimsPrincipal user, FleetDbContext db, LocalTime local, CancellationToken ct)
    {
        var range = local.ParseRange(from, to);
        if ((paging.Errors() ?? range.Errors) is { } errors) return Problems.Invalid(errors);

        var violations = db.Violations.AsNoTracking().VisibleTo(Caller.From(user));
        if (unitId is not null) violations = violations.Where(v => v.UnitId == unitId);
        if (type is not null) violations = violations.Where(v => v.Type == type);
        if (status is not null) violations = violations.Where(v => v.Status == status);
        violations = violations.WherePlateContains(v => v.PlateNumber, plateNumber);
        if (range.From is not null) violations = violations.Where(v => v.DetectedAt >= range.From);
        if (range.To is not null) violations = violations.Where(v => v.DetectedAt < range.To);

        var page = await paging.ApplyAsync(violations.OrderByDescending(v => v.DetectedAt).ThenBy(v => v.Id), ct);
        var ids = page.Items.Select(v => v.Id).ToList();
        var actions = (await db.PersonActions.AsNoTracking().Where(a => ids.Contains(a.ViolationId)).ToListAsync(ct))
            .OrderBy(a => a.RecordedAt).ToLookup(a => a.ViolationId);
        var items = page.Items.Select(v => ToDto(v, actions[v.Id])).ToList();
        return TypedResults.Ok(new Paged<ViolationDto>(items, page.Page, page.PageSize, page.Total));
    }
}
