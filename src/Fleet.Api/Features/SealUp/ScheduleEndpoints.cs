using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.SealUp;

public sealed record ScheduleDto(
    Guid Id, Guid HolidayId, DateTime SealDeadline, DateTime ReleaseAt, ScheduleStatus Status, bool AllUnits,
    IReadOnlyList<Guid> UnitIds, IReadOnlyList<VehicleCategory> ExemptCategories, DateTime PublishedAt, Guid RegionId);

public static class ScheduleEndpoints
{
    /// <param name="RegionId">The publishing region (in the Admin's scope; default their own): the schedule covers its subtree.</param>
    public sealed record PublishRequest(Guid? HolidayId, DateTime? SealDeadline, DateTime? ReleaseAt, List<Guid>? UnitIds, List<VehicleCategory>? ExemptCategories,
        Guid? RegionId = null);

    public sealed class Validator : RequestValidator<PublishRequest>
    {
        public Validator()
        {
            RuleFor(r => r.HolidayId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.UnitIds).Must(u => u is null || u.Count > 0).Refuse("SealUp.NoUnits")
                .Must(u => u is null || u.Count <= 10_000).Refuse("SealUp.TooManyUnits");
            RuleFor(r => r.ExemptCategories).Must(c => c is null || c.Count <= 4);
            RuleFor(r => r.SealDeadline).Must(t => t is null || t.Value.Year is >= 2000 and <= 2100).Refuse("SealUp.InstantRange");
            RuleFor(r => r.ReleaseAt).Must(t => t is null || t.Value.Year is >= 2000 and <= 2100).Refuse("SealUp.InstantRange");
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

    public static Task<Results<Created<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Publish(
        PublishRequest request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, TimeProvider clock, CancellationToken ct) =>
        rules.PublishAsync(Caller.From(user), new PublishSchedule(request.HolidayId!.Value, request.SealDeadline, request.ReleaseAt, request.UnitIds, request.ExemptCategories, request.RegionId), ct)
            .ToCreatedAsync(s => $"/api/sealup-schedules/{s.Id}", s => ToDto(s, request.UnitIds?.Distinct().ToList() ?? [], clock.GetUtcNow().UtcDateTime));

    public sealed record ComplianceDto(int InScope, int SealedOnTime, int SealedLate, int Exempted, int Overdue, int Breached, int Pending, decimal? Rate,
        IReadOnlyList<UnitCompliance> Units);

    /// <summary>Seal-up compliance per unit, as the report has it: (sealed on time + exempted) ÷ in scope; one grouped query.</summary>
    public static async Task<Results<Ok<ComplianceDto>, ProblemHttpResult>> Compliance(Guid id, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("SealUp.ScheduleNotFound");
        var caller = Caller.From(user);
        var units = (await SealUpRules.ComplianceAsync(db, id, ct)).Where(u => caller.MaySee(u.UnitId)).ToList();
        var total = UnitCompliance.Total(units);
        return TypedResults.Ok(new ComplianceDto(total.InScope, total.SealedOnTime, total.SealedLate, total.Exempted, total.Overdue, total.Breached,
            total.Pending, total.Rate, units));
    }

    public static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> Get(Guid id, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Problems.NotFound("SealUp.ScheduleNotFound");
        var units = await db.SealUpScheduleUnits.Where(su => su.ScheduleId == id).Select(su => su.UnitId).ToListAsync(ct);
        return TypedResults.Ok(ToDto(schedule, units, clock.GetUtcNow().UtcDateTime));
    }

    public static async Task<Results<Ok<Paged<ScheduleDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? holidayId, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var schedules = db.SealUpSchedules.AsNoTracking();
        if (holidayId is not null) schedules = schedules.Where(s => s.HolidayId == holidayId);
        var page = await paging.ApplyAsync(schedules.OrderByDescending(s => s.SealDeadline), ct);
        var ids = page.Items.Select(s => s.Id).ToList();
        var units = (await db.SealUpScheduleUnits.Where(su => ids.Contains(su.ScheduleId)).ToListAsync(ct)).ToLookup(su => su.ScheduleId, su => su.UnitId);
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new Paged<ScheduleDto>(page.Items.Select(s => ToDto(s, units[s.Id].ToList(), now)).ToList(), page.Page, page.PageSize, page.Total));
    }

    private static ScheduleDto ToDto(SealUpSchedule s, IReadOnlyList<Guid> units, DateTime now) =>
        new(s.Id, s.HolidayId, s.SealDeadline, s.ReleaseAt, s.StatusAt(now), s.AllUnits, units, SealOrderSets.Categories(s.ExemptCategories), s.PublishedAt, s.RegionId);
}
