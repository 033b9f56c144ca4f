using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SealUp.Pages;

/// <summary>The running or next seal-up schedule, its countdown and each car's order in the caller's scope.</summary>
public sealed class IndexModel(FleetDbContext db, SealOrderQueries queries, TimeProvider clock) : WorkspacePage
{
    public sealed record ScheduleView(Guid Id, string HolidayName, DateTime SealDeadline, DateTime ReleaseAt, ScheduleStatus Status);
    public sealed record OrderRow(Guid VehicleId, string PlateNumber, string UnitName, SealOrderStatus Status, bool ReleasedEarly,
        string? SealNumber, string? ParkingPlace, DateTime? SealedAt);

    [BindProperty(SupportsGet = true, Name = "schedule")] public Guid? ScheduleId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public SealOrderStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    /// <summary>A district-wide reader (a province has a million orders) lists orders once a unit or plate narrows them.</summary>
    public bool Narrowed => Caller.IsUnitBound || !string.IsNullOrWhiteSpace(Unit) || !string.IsNullOrWhiteSpace(Plate);

    public ScheduleView? Schedule { get; private set; }
    public DateTime Now { get; private set; }
    public string Left { get; private set; } = "";
    public List<(SealOrderStatus Status, int Count)> Counts { get; private set; } = [];
    public Paged<OrderRow> Orders { get; private set; } = new([], 1, Lists.Size, 0);
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public bool MaySeal => Caller.Role is Role.Admin or Role.VehicleAdmin;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow().UtcDateTime;
        Schedule = await CurrentAsync(db, ScheduleId, Now, ct);
        if (Schedule is null) return;
        var left = Schedule.SealDeadline - Now;
        Left = left > TimeSpan.Zero ? $"{(int)left.TotalDays} 天 {left.Hours} 小时 {left.Minutes} 分" : "";
        Counts = await queries.CountsAsync(Caller, Schedule.Id, ct);
        if (!Narrowed) return;
        var filter = new SealOrderFilter(UnitCode: Unit, Status: Status, Plate: Plate);
        var page = await queries.ListAsync(Caller, Schedule.Id, filter, Lists.Args(Request).PageShown(lastIfBeyond: false), ct);
        Orders = page!.Map(r => new OrderRow(r.Order.VehicleId, r.Plate, r.Unit, r.Order.Status, r.Order.ReleasedEarly, r.Order.SealNumber,
            r.Order.ParkingPlace, r.Order.SealedAt));
        Pager = Lists.PagerOf(Orders);
    }

    /// <summary>The schedule asked for; else the one running or coming next; else the latest.</summary>
    public static async Task<ScheduleView?> CurrentAsync(FleetDbContext db, Guid? id, DateTime now, CancellationToken ct)
    {
        var schedules = from s in db.SealUpSchedules.AsNoTracking()
                        join h in db.Holidays on s.HolidayId equals h.Id
                        select new { Schedule = s, h.Name };
        var chosen = id is { } wanted ? await schedules.FirstOrDefaultAsync(x => x.Schedule.Id == wanted, ct)
            : await schedules.Where(x => x.Schedule.ReleaseAt > now).OrderBy(x => x.Schedule.SealDeadline).FirstOrDefaultAsync(ct)
              ?? await schedules.OrderByDescending(x => x.Schedule.SealDeadline).FirstOrDefaultAsync(ct);
        if (chosen is null) return null;
        var found = chosen.Schedule;
        return new ScheduleView(found.Id, chosen.Name, found.SealDeadline, found.ReleaseAt, found.StatusAt(now));
    }
}
