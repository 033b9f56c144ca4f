using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SealUp.Pages;

/// <summary>Holidays by year and the seal-up schedules: an Admin enters holidays and publishes schedules; others read.</summary>
[Authorize]
public sealed class SchedulesModel(FleetDbContext db, SealUpRules rules, LocalTime local, TimeProvider clock,
    IValidator<HolidayEndpoints.Request> holidayValidator, IValidator<ScheduleEndpoints.PublishRequest> publishValidator) : WorkspacePage
{
    public const int PageSize = 50;

    public sealed record ScheduleRow(SealUpSchedule Schedule, string Holiday, int Units, int Orders);

    public sealed class HolidayForm
    {
        public string? Name { get; set; }
        public DateOnly? FirstDay { get; set; }
        public DateOnly? LastDay { get; set; }
    }

    public sealed class PublishForm
    {
        public Guid? HolidayId { get; set; }
        public DateTime? SealDeadline { get; set; }
        public DateTime? ReleaseAt { get; set; }
        public List<Guid>? UnitIds { get; set; }
        public List<VehicleCategory>? ExemptCategories { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public HolidayForm Holiday { get; set; } = new();

    [BindProperty]
    public PublishForm Publish { get; set; } = new();

    public List<Holiday> Holidays { get; private set; } = [];
    public List<Holiday> Publishable { get; private set; } = [];
    public List<(Guid Id, string Label)> Units { get; private set; } = [];
    public List<ScheduleRow> Schedules { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public DateTime Now { get; private set; }

    public Task OnGetAsync()
    {
        ModelState.Clear(); // a year or page that does not parse (a hand-edited URL) is left out
        return LoadAsync();
    }

    public async Task<IActionResult> OnPostHolidayAsync()
    {
        var request = new HolidayEndpoints.Request(Holiday.Name, Holiday.FirstDay, Holiday.LastDay);
        if (ModelState.IsValid && await ValidAsync(holidayValidator, request, "Holiday")
            && Done(await rules.CreateHolidayAsync(Caller, request.Name!, request.FirstDay!.Value, request.LastDay!.Value, HttpContext.RequestAborted), "Holiday"))
            return Back($"已录入节假日 {request.Name!.Trim()}。", $"/sealup/schedules?year={request.FirstDay.Value.Year}");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync()
    {
        // Every unit unless some are chosen; the categories ticked (none ticked: no category is exempted).
        var units = Publish.UnitIds is { Count: > 0 } chosen ? chosen : null;
        var request = new ScheduleEndpoints.PublishRequest(Publish.HolidayId, Publish.SealDeadline, Publish.ReleaseAt, units, Publish.ExemptCategories ?? []);
        if (ModelState.IsValid && await ValidAsync(publishValidator, request, "Publish"))
        {
            var outcome = await rules.PublishAsync(Caller, new PublishSchedule(request.HolidayId!.Value, request.SealDeadline, request.ReleaseAt, units,
                request.ExemptCategories), HttpContext.RequestAborted);
            if (Done(outcome, "Publish")) return Back("已发布封存安排，范围内的在用车辆已生成封存任务。", "/sealup/schedules");
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(local.ToLocal(Now));
        // Without a year: the year of the next holiday (holidays are entered ahead), else this year.
        Year = Year is >= 2000 and <= 2100 ? Year
            : (await db.Holidays.Where(h => h.LastDay >= today).OrderBy(h => h.FirstDay).Select(h => (DateOnly?)h.FirstDay).FirstOrDefaultAsync(ct))?.Year ?? today.Year;
        var (first, last) = (new DateOnly(Year.Value, 1, 1), new DateOnly(Year.Value, 12, 31));
        Holidays = await db.Holidays.AsNoTracking().Where(h => h.LastDay >= first && h.FirstDay <= last).OrderBy(h => h.FirstDay).ToListAsync(ct);
        Publishable = await db.Holidays.AsNoTracking().Where(h => h.LastDay >= today).OrderBy(h => h.FirstDay).Take(100).ToListAsync(ct);
        Units = await db.Units.AsNoTracking().OrderBy(u => u.Code).Select(u => new ValueTuple<Guid, string>(u.Id, u.Code + " " + u.Name)).ToListAsync(ct);

        var schedules = db.SealUpSchedules.AsNoTracking();
        Total = await schedules.CountAsync(ct);
        PageNumber = Math.Max(1, PageNumber);
        var rows = await schedules.Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s, h.Name })
            .OrderByDescending(x => x.s.SealDeadline).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(x => new
            {
                x.s,
                x.Name,
                Units = db.SealUpScheduleUnits.Count(su => su.ScheduleId == x.s.Id),
                Orders = db.SealOrders.Count(o => o.ScheduleId == x.s.Id),
            })
            .ToListAsync(ct);
        Schedules = rows.Select(x => new ScheduleRow(x.s, x.Name, x.Units, x.Orders)).ToList();
    }
}
