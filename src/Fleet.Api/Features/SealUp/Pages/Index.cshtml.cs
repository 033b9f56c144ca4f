using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SealUp.Pages;

/// <summary>The running or next seal-up schedule, its countdown and each car's order in the caller's scope.</summary>
public sealed class IndexModel(FleetDbContext db, TimeProvider clock) : WorkspacePage
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
    // Not bound: "page" is also Razor Pages' own route value (the page's name).
    private int PageNumber => Math.Max(1, Workspace.Lists.PageOf(Request) ?? 1);

    public ScheduleView? Schedule { get; private set; }
    public DateTime Now { get; private set; }
    public string Left { get; private set; } = "";
    public List<(SealOrderStatus Status, int Count)> Counts { get; private set; } = [];
    public Paged<OrderRow> Orders { get; private set; } = new([], 1, 50, 0);
    public bool MaySeal => Caller.Role is Role.Admin or Role.VehicleAdmin;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow().UtcDateTime;
        Schedule = await CurrentAsync(db, ScheduleId, Now, ct);
        if (Schedule is null) return;
        var left = Schedule.SealDeadline - Now;
        Left = left > TimeSpan.Zero ? $"{(int)left.TotalDays} 天 {left.Hours} 小时 {left.Minutes} 分" : "";
        var orders = db.SealOrders.AsNoTracking().VisibleTo(Caller).Where(o => o.ScheduleId == Schedule.Id);
        Counts = (await orders.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(c => c.Key).Select(c => (c.Key, c.Count)).ToList();
        if (!Narrowed) return;
        if (!string.IsNullOrWhiteSpace(Unit) && !Caller.IsUnitBound)
        {
            var code = Unit.Trim();
            var unitId = await db.Units.Where(u => u.Code == code).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct) ?? Guid.Empty;
            orders = orders.Where(o => o.UnitId == unitId);
        }
        if (Status is { } status) orders = orders.Where(o => o.Status == status);
        if (!string.IsNullOrWhiteSpace(Plate))
        {
            // The plate narrows the vehicles first (one scan of the register), then their orders by index.
            var cars = await db.Vehicles.VisibleTo(Caller).WherePlateContains(v => v.PlateNumber, Plate).Select(v => v.Id).Take(500).ToListAsync(ct);
            orders = orders.Where(o => cars.Contains(o.VehicleId));
        }
        var rows = from o in orders
                   join v in db.Vehicles on o.VehicleId equals v.Id
                   join u in db.Units on o.UnitId equals u.Id
                   orderby v.PlateNumber
                   select new OrderRow(o.VehicleId, v.PlateNumber, u.Name, o.Status, o.ReleasedEarly, o.SealNumber, o.ParkingPlace, o.SealedAt);
        Orders = await new PageQuery(PageNumber, 50).ApplyAsync(rows, ct);
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
