using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Violations;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SpotChecks;

public sealed record SpotCheckDto(
    Guid Id, Guid? VehicleId, string PlateNumber, Guid UnitId, DateTime CheckedAt, string Location, SpotCheckFinding Finding,
    string? Notes, Guid? CorrectsId, Guid? CorrectedById, bool Corrected, Guid? ViolationId, DateTime RecordedAt, string RecordedBy);

/// <summary>Spot checks are evidence: recorded, listed, read; never edited or deleted (no PUT or DELETE route: 405).</summary>
public static class SpotCheckEndpoints
{
    public sealed record Request(Guid? VehicleId, string? PlateNumber, Guid? UnitId, DateTime? CheckedAt, string? Location,
        SpotCheckFinding? Finding, string? Notes, Guid? CorrectsId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(TimeProvider clock, LocalTime local)
        {
            RuleFor(r => r.PlateNumber).NotEmpty().When(r => r.VehicleId is null).WithMessage("Give vehicleId or plateNumber.");
            RuleFor(r => r.PlateNumber).MaximumLength(32)
                .Must(p => Plates.IsValid(Plates.Normalise(p))).When(r => r.PlateNumber is not null)
                .WithMessage("Not a mainland plate.");
            RuleFor(r => r.CheckedAt).NotNull()
                .Must(t => t is null || local.InstantToUtc(t.Value) <= clock.GetUtcNow().UtcDateTime.AddMinutes(5)).WithMessage("A check cannot be in the future.")
                .Must(t => t is null || t.Value.Year >= 2000).WithMessage("Too far in the past.");
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

    public static ViolationType ViolationOf(SpotCheckFinding finding) => finding switch
    {
        SpotCheckFinding.SealBroken => ViolationType.SealBroken,
        SpotCheckFinding.VehicleMissing => ViolationType.VehicleMissing,
        SpotCheckFinding.PrivateUse => ViolationType.PrivateUse,
        SpotCheckFinding.OffSiteParking => ViolationType.OffSiteParking,
        SpotCheckFinding.UnregisteredVehicle => ViolationType.UnregisteredVehicle,
        _ => ViolationType.Other,
    };

    public static async Task<Results<Created<SpotCheckDto>, ValidationProblem, ProblemHttpResult>> Record(
        Request request, ClaimsPrincipal user, FleetDbContext db, LocalTime local, TimeProvider clock, CancellationToken ct)
    {
        var target = await ViolationTargets.ResolveAsync(db, request.VehicleId, request.PlateNumber, request.UnitId, ct);
        if (target.Problem is not null) return target.Problem;
        if (request.CorrectsId is { } correctsId)
        {
            var corrected = await db.SpotChecks.AsNoTracking().FirstOrDefaultAsync(s => s.Id == correctsId, ct);
            if (corrected is null) return Problems.Field("correctsId", "No spot check has this id.");
            if (await db.SpotChecks.AnyAsync(s => s.CorrectsId == correctsId, ct))
                return Problems.Conflict("That check was already corrected; correct the check that corrected it.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var checkedAt = local.InstantToUtc(request.CheckedAt!.Value);
        var check = new SpotCheck
        {
            VehicleId = target.VehicleId,
            PlateNumber = target.PlateNumber,
            UnitId = target.UnitId,
            CheckedAt = checkedAt,
            Location = request.Location!.Trim(),
            Finding = request.Finding!.Value,
            Notes = request.Notes?.Trim(),
            CorrectsId = request.CorrectsId,
            RecordedAt = now,
            RecordedBy = user.Identity!.Name!,
        };
        if (check.Finding != SpotCheckFinding.Compliant)
        {
            var violation = new Violation
            {
                Type = ViolationOf(check.Finding),
                VehicleId = check.VehicleId,
                PlateNumber = check.PlateNumber,
                UnitId = check.UnitId,
                DetectedAt = checkedAt,
                Source = ViolationSource.SpotCheck,
                SourceId = check.Id,
                DedupKey = $"SpotCheck:{check.Id}",
                Status = ViolationStatus.Open,
                Notes = check.Notes,
                RecordedBy = check.RecordedBy,
            };
            db.Violations.Add(violation);
            check.ViolationId = violation.Id;
        }
        db.SpotChecks.Add(check);
        if (check.Finding is SpotCheckFinding.SealBroken or SpotCheckFinding.VehicleMissing && check.VehicleId is not null)
            await BreachAsync(db, check, ct);
        if (check.CorrectsId is not null) await DismissCorrectedAsync(db, check, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/spot-checks/{check.Id}", ToDto(check, null));
    }

    /// <summary>A broken seal or a missing car breaches the vehicle's seal order under a schedule still running at the time of the check.</summary>
    private static async Task BreachAsync(FleetDbContext db, SpotCheck check, CancellationToken ct)
    {
        var orders = await db.SealOrders
            .Where(o => o.VehicleId == check.VehicleId && o.Status == SealOrderStatus.Sealed)
            .Where(o => db.SealUpSchedules.Any(s => s.Id == o.ScheduleId && s.ReleaseAt > check.CheckedAt))
            .ToListAsync(ct);
        foreach (var order in orders)
        {
            order.Status = SealOrderStatus.Breached;
            order.BreachedAt = check.CheckedAt;
            db.AuditAs(order, "Breach");
        }
    }

    /// <summary>The corrected check was a mistake: its violation, if still open, is dismissed, naming the correction.</summary>
    private static async Task DismissCorrectedAsync(FleetDbContext db, SpotCheck check, DateTime now, CancellationToken ct)
    {
        var violation = await db.Violations.FirstOrDefaultAsync(v => v.Source == ViolationSource.SpotCheck && v.SourceId == check.CorrectsId && v.Status == ViolationStatus.Open, ct);
        if (violation is null) return;
        violation.Status = ViolationStatus.Dismissed;
        violation.ClosedAt = now;
        violation.ClosedBy = check.RecordedBy;
        violation.CloseReason = $"Corrected by spot check {check.Id}.";
        db.AuditAs(violation, "Dismiss");
    }

    public static async Task<Results<Ok<Paged<SpotCheckDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? from, string? to, Guid? unitId, Guid? vehicleId, SpotCheckFinding? finding,
        ClaimsPrincipal user, FleetDbContext db, LocalTime local, CancellationToken ct)
    {
        var range = local.ParseRange(from, to);
        if ((paging.Errors() ?? range.Errors) is { } errors) return TypedResults.ValidationProblem(errors);
        var checks = db.SpotChecks.AsNoTracking().VisibleTo(Caller.From(user));
        if (unitId is not null) checks = checks.Where(s => s.UnitId == unitId);
        if (vehicleId is not null) checks = checks.Where(s => s.VehicleId == vehicleId);
        if (finding is not null) checks = checks.Where(s => s.Finding == finding);
        if (range.From is not null) checks = checks.Where(s => s.CheckedAt >= range.From);
        if (range.To is not null) checks = checks.Where(s => s.CheckedAt < range.To);
        var query = checks.OrderByDescending(s => s.CheckedAt).ThenBy(s => s.Id)
            .Select(s => new { Check = s, CorrectedBy = db.SpotChecks.Where(c => c.CorrectsId == s.Id).Select(c => (Guid?)c.Id).FirstOrDefault() });
        var page = await paging.ApplyAsync(query, ct);
        return TypedResults.Ok(new Paged<SpotCheckDto>(page.Items.Select(x => ToDto(x.Check, x.CorrectedBy)).ToList(), page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<SpotCheckDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var check = await db.SpotChecks.AsNoTracking().VisibleTo(Caller.From(user)).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (check is null) return Problems.NotFound("The spot check");
        var correctedBy = await db.SpotChecks.Where(c => c.CorrectsId == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(ToDto(check, correctedBy));
    }

    private static SpotCheckDto ToDto(SpotCheck s, Guid? correctedBy) => new(s.Id, s.VehicleId, s.PlateNumber, s.UnitId, s.CheckedAt, s.Location,
        s.Finding, s.Notes, s.CorrectsId, correctedBy, correctedBy is not null, s.ViolationId, s.RecordedAt, s.RecordedBy);
}
