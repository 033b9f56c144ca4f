using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Auditing;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SealUp;

public sealed record ScheduleDto(
    Guid Id, Guid HolidayId, DateTime SealDeadline, DateTime ReleaseAt, ScheduleStatus Status, bool AllUnits,
    IReadOnlyList<Guid> UnitIds, IReadOnlyList<VehicleCategory> ExemptCategories, DateTime PublishedAt);

public static class ScheduleEndpoints
{
    public static readonly VehicleCategory[] DefaultExempt = [VehicleCategory.LawEnforcement, VehicleCategory.Emergency];
    public static readonly TimeOnly DefaultDeadline = new(18, 0);
    public static readonly TimeOnly DefaultRelease = new(8, 0);

    public sealed record PublishRequest(Guid? HolidayId, DateTime? SealDeadline, DateTime? ReleaseAt, List<Guid>? UnitIds, List<VehicleCategory>? ExemptCategories);

    public sealed class Validator : AbstractValidator<PublishRequest>
    {
        public Validator()
        {
            RuleFor(r => r.HolidayId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.UnitIds).Must(u => u is null || u.Count > 0).WithMessage("Leave unitIds out for every unit, or name at least one.")
                .Must(u => u is null || u.Count <= 10_000).WithMessage("At most 10,000 units.");
            RuleFor(r => r.ExemptCategories).Must(c => c is null || c.Count <= 4);
            RuleFor(r => r.SealDeadline).Must(t => t is null || t.Value.Year is >= 2000 and <= 2100).WithMessage("Give an instant between 2000 and 2100.");
            RuleFor(r => r.ReleaseAt).Must(t => t is null || t.Value.Year is >= 2000 and <= 2100).WithMessage("Give an instant between 2000 and 2100.");
        }
    }

    public static void MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sealup-schedules").WithTags("SealUp");
        group.MapPost("/", Publish).AllowRoles(Role.Admin).Validate<PublishRequest>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapGet("/{id:guid}/orders", SealOrderEndpoints.List);
        group.MapGet("/{id:guid}/compliance", Compliance);
        group.MapPost("/{id:guid}/seals", SealOrderEndpoints.Seal).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<SealOrderEndpoints.SealRequest>();
        group.MapPost("/{id:guid}/releases", SealOrderEndpoints.Release).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<SealOrderEndpoints.ReleaseRequest>();
        group.MapPost("/{id:guid}/exemptions", ExemptionEndpoints.Request).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<ExemptionEndpoints.ExemptionRequest>();
        group.MapGet("/{id:guid}/exemptions", ExemptionEndpoints.List);
    }

    /// <summary>The status follows the clock, so it is right even before the job has caught up.</summary>
    public static ScheduleStatus StatusAt(SealUpSchedule s, DateTime now) =>
        now >= s.ReleaseAt ? ScheduleStatus.Closed : now >= s.SealDeadline ? ScheduleStatus.Active : ScheduleStatus.Published;

    public static async Task<Results<Created<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Publish(
        PublishRequest request, FleetDbContext db, SealOrderSets orders, IAuditActor actor, LocalTime local, TimeProvider clock, CancellationToken ct)
    {
        var holiday = await db.Holidays.AsNoTracking().FirstOrDefaultAsync(h => h.Id == request.HolidayId, ct);
        if (holiday is null) return Problems.Field("holidayId", "No holiday has this id.");
        var deadline = request.SealDeadline is { } d ? local.InstantToUtc(d) : local.ToUtc(holiday.FirstDay.AddDays(-1), DefaultDeadline);
        var release = request.ReleaseAt is { } r ? local.InstantToUtc(r) : local.ToUtc(holiday.LastDay.AddDays(1), DefaultRelease);
        if (deadline >= release)
            return Problems.Field(request.ReleaseAt is null ? "sealDeadline" : "releaseAt", "The seal deadline must come before the release time.");
        var unitIds = request.UnitIds?.Distinct().ToList();
        if (unitIds is not null && await db.Units.CountAsync(u => unitIds.Contains(u.Id), ct) != unitIds.Count)
            return Problems.Field("unitIds", "Some of these ids name no unit.");

        var others = await db.SealUpSchedules.Where(s => s.HolidayId == holiday.Id).Select(s => new { s.Id, s.AllUnits }).ToListAsync(ct);
        var overlaps = others.Count > 0 && (unitIds is null || others.Any(o => o.AllUnits) ||
            await db.SealUpScheduleUnits.AnyAsync(su => others.Select(o => o.Id).Contains(su.ScheduleId) && unitIds.Contains(su.UnitId), ct));
        if (overlaps) return Problems.Conflict($"A schedule for {holiday.Name} already covers some of these units.");

        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new SealUpSchedule
        {
            HolidayId = holiday.Id,
            SealDeadline = deadline,
            ReleaseAt = release,
            AllUnits = unitIds is null,
            ExemptCategories = string.Join(",", (request.ExemptCategories ?? [.. DefaultExempt]).Distinct()),
            PublishedAt = now,
            PublishedBy = actor.Name,
        };
        schedule.Status = StatusAt(schedule, now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.SealUpSchedules.Add(schedule);
        foreach (var unitId in unitIds ?? []) db.SealUpScheduleUnits.Add(new SealUpScheduleUnit { ScheduleId = schedule.Id, UnitId = unitId });
        await db.SaveChangesAsync(ct);
        // Publishing gives every active in-scope vehicle its order at once; the reconcile job adds later registrations.
        await orders.CreateMissingAsync(schedule, now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/sealup-schedules/{schedule.Id}", ToDto(schedule, unitIds ?? [], now));
    }

    public sealed record ComplianceDto(int InScope, int SealedOnTime, int SealedLate, int Exempted, int Overdue, int Breached, int Pending, decimal? Rate,
        IReadOnlyList<Reports.SealUpComplianceReport.UnitCompliance> Units);

    /// <summary>Seal-up compliance per unit, as the report has it: (sealed on time + exempted) ÷ in scope; one grouped query.</summary>
    public static async Task<Results<Ok<ComplianceDto>, ProblemHttpResult>> Compliance(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("The seal-up schedule");
        var caller = Caller.From(user);
        var units = (await Reports.SealUpComplianceReport.ComputeAsync(db, id, ct)).Where(u => caller.MaySee(u.UnitId)).ToList();
        var total = new Reports.SealUpComplianceReport.UnitCompliance(Guid.Empty, "", "", units.Sum(u => u.InScope), units.Sum(u => u.SealedOnTime),
            units.Sum(u => u.SealedLate), units.Sum(u => u.Exempted), units.Sum(u => u.Overdue), units.Sum(u => u.Breached), units.Sum(u => u.Pending));
        return TypedResults.Ok(new ComplianceDto(total.InScope, total.SealedOnTime, total.SealedLate, total.Exempted, total.Overdue, total.Breached,
            total.Pending, total.Rate, units));
    }

    public static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> Get(Guid id, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Problems.NotFound("The seal-up schedule");
        var units = await db.SealUpScheduleUnits.Where(su => su.ScheduleId == id).Select(su => su.UnitId).ToListAsync(ct);
        return TypedResults.Ok(ToDto(schedule, units, clock.GetUtcNow().UtcDateTime));
    }

    public static async Task<Results<Ok<Paged<ScheduleDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? holidayId, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var schedules = db.SealUpSchedules.AsNoTracking();
        if (holidayId is not null) schedules = schedules.Where(s => s.HolidayId == holidayId);
        var page = await paging.ApplyAsync(schedules.OrderByDescending(s => s.SealDeadline), ct);
        var ids = page.Items.Select(s => s.Id).ToList();
        var units = (await db.SealUpScheduleUnits.Where(su => ids.Contains(su.ScheduleId)).ToListAsync(ct)).ToLookup(su => su.ScheduleId, su => su.UnitId);
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new Paged<ScheduleDto>(page.Items.Select(s => ToDto(s, units[s.Id].ToList(), now)).ToList(), page.Page, page.PageSize, page.Total));
    }

    private static ScheduleDto ToDto(SealUpSchedule s, IReadOnlyList<Guid> units, DateTime now) =>
        new(s.Id, s.HolidayId, s.SealDeadline, s.ReleaseAt, StatusAt(s, now), s.AllUnits, units, SealOrderSets.Categories(s.ExemptCategories), s.PublishedAt);
}
