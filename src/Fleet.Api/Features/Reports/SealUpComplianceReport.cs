using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// Seal-up compliance of one schedule, per unit: compliance = (sealed on time + exempted) ÷ vehicles in scope.
/// A vehicle sealed on time and later released counts as on time; a breached seal does not.
/// </summary>
public static class SealUpComplianceReport
{
    public sealed record UnitCompliance(Guid UnitId, string Code, string Name, int InScope, int SealedOnTime, int SealedLate, int Exempted,
        int Overdue, int Breached, int Pending)
    {
        public decimal? Rate => Recoveries.RecoveryRates.Fraction(SealedOnTime + Exempted, InScope);
    }

    /// <summary>
    /// The counts per unit, ordered by unit code. On SQLite the database keeps a count of each schedule's orders per unit
    /// and state (<see cref="SealOrderCount"/>, moved by triggers with every change of an order), so this reads a few
    /// rows per unit instead of counting a province's million orders (0.49 → 0.18 s, README); the server databases count
    /// the orders by unit and state from a covering index. The groups are folded into the columns here.
    /// </summary>
    public static async Task<List<UnitCompliance>> ComputeAsync(FleetDbContext db, Guid scheduleId, CancellationToken ct)
    {
        var counted = !Provider.Of(db).KeepsSealOrderCounts
            ? db.SealOrders.AsNoTracking().Where(o => o.ScheduleId == scheduleId)
                .GroupBy(o => new { o.UnitId, o.Status, o.Late, o.ReleasedEarly })
                .Select(g => new { g.Key.UnitId, g.Key.Status, g.Key.Late, g.Key.ReleasedEarly, Orders = g.Count() })
            : db.SealOrderCounts.AsNoTracking().Where(c => c.ScheduleId == scheduleId && c.Orders > 0)
                .Select(c => new { c.UnitId, c.Status, c.Late, c.ReleasedEarly, c.Orders });
        var groups = await counted
            .Join(db.Units, g => g.UnitId, u => u.Id, (g, u) => new { g.UnitId, u.Code, u.Name, g.Status, g.Late, g.ReleasedEarly, Count = g.Orders })
            // Ordered by the database, in its collation, as the report's other sheets are; grouping below keeps the order.
            .OrderBy(g => g.Code)
            .ToListAsync(ct);
        return groups.GroupBy(g => (g.UnitId, g.Code, g.Name))
            .Select(unit =>
            {
                int inScope = 0, onTime = 0, late = 0, exempted = 0, overdue = 0, breached = 0, pending = 0;
                foreach (var g in unit)
                {
                    inScope += g.Count;
                    var sealedOnce = g.Status is SealOrderStatus.Sealed or SealOrderStatus.Released;
                    // Released early through an exemption counts as exempted, never as sealed on time.
                    if (sealedOnce && !g.ReleasedEarly) { if (g.Late) late += g.Count; else onTime += g.Count; }
                    if (g.Status == SealOrderStatus.Exempted || (g.Status == SealOrderStatus.Released && g.ReleasedEarly)) exempted += g.Count;
                    if (g.Status == SealOrderStatus.Overdue) overdue += g.Count;
                    if (g.Status == SealOrderStatus.Breached) breached += g.Count;
                    if (g.Status == SealOrderStatus.Pending) pending += g.Count;
                }
                return new UnitCompliance(unit.Key.UnitId, unit.Key.Code, unit.Key.Name, inScope, onTime, late, exempted, overdue, breached, pending);
            })
            .ToList();
    }

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(Guid? scheduleId, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        if (scheduleId is null) return Problems.Field("scheduleId", "SealUp.ScheduleRequired");
        var schedule = await db.SealUpSchedules.AsNoTracking()
            .Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, s.SealDeadline, s.ReleaseAt, h.Name })
            .FirstOrDefaultAsync(s => s.Id == scheduleId, ct);
        if (schedule is null) return Problems.Field("scheduleId", "SealUp.NoSuchSchedule");
        var orders = db.SealOrders.AsNoTracking().Where(o => o.ScheduleId == scheduleId);
        var inSchedule = !Provider.Of(db).KeepsSealOrderCounts
            ? await orders.CountAsync(ct)
            : await db.SealOrderCounts.AsNoTracking().Where(c => c.ScheduleId == scheduleId).SumAsync(c => c.Orders, ct);
        if (report.TooMany(inSchedule, "scheduleId") is { } tooMany) return tooMany;

        var units = await ComputeAsync(db, scheduleId.Value, ct);
        var filters = $"{schedule.Name}；封存时限 {report.ToLocal(schedule.SealDeadline):yyyy-MM-dd HH:mm}；启封时间 {report.ToLocal(schedule.ReleaseAt):yyyy-MM-dd HH:mm}";
        return await report.BuildAsync("sealup-compliance", async w =>
        {
            report.StartSheet(w, "合规率", $"节假日公务用车封存合规率（{schedule.Name}）", filters,
            [
                new("单位代码", 10), new("单位名称", 14), new("应封存", 7), new("按时封存", 7), new("逾期封存", 7),
                new("豁免", 7), new("未封存", 7), new("封条破坏", 7), new("待封存", 7), new("合规率", 9),
            ]);
            foreach (var u in units)
                Row(w, u.Code, u.Name, u, total: false);
            w.EndTable();
            var total = new UnitCompliance(Guid.Empty, "", "", units.Sum(u => u.InScope), units.Sum(u => u.SealedOnTime), units.Sum(u => u.SealedLate),
                units.Sum(u => u.Exempted), units.Sum(u => u.Overdue), units.Sum(u => u.Breached), units.Sum(u => u.Pending));
            Row(w, "合计", null, total, total: true);

            report.RateChart(w, "图表", $"各单位封存合规率（{schedule.Name}）", filters, "合规率", units.Select(u => (u.Name, u.Rate)));

            report.StartSheet(w, "封存明细", $"封存明细（{schedule.Name}）", filters,
            [
                new("车牌", 10), new("单位代码", 10), new("单位名称", 14), new("状态", 8), new("封条号", 8),
                new("停放地点", 12, 30), new("封存时间", 17), new("逾期", 6), new("启封时间", 17), new("提前启封", 8), new("破坏时间", 17),
            ]);
            var rows = orders.Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o, v.PlateNumber })
                .Join(db.Units, x => x.o.UnitId, u => u.Id, (x, u) => new
                {
                    x.PlateNumber,
                    u.Code,
                    u.Name,
                    x.o.Status,
                    x.o.SealNumber,
                    x.o.ParkingPlace,
                    x.o.SealedAt,
                    x.o.Late,
                    x.o.ReleasedAt,
                    x.o.ReleasedEarly,
                    x.o.BreachedAt,
                })
                .OrderBy(x => x.Code).ThenBy(x => x.PlateNumber);
            await ReportFile.StreamAsync(rows, o =>
            {
                w.StartRow();
                w.Text(o.PlateNumber);
                w.Text(o.Code);
                w.Text(o.Name);
                w.Text(Labels.Of(o.Status, o.ReleasedEarly));
                w.Text(o.SealNumber);
                w.Text(o.ParkingPlace);
                w.Date(report.ToLocal(o.SealedAt));
                w.Text(Labels.YesNo(o.Late));
                w.Date(report.ToLocal(o.ReleasedAt));
                w.Text(o.ReleasedEarly ? "是（豁免）" : "否");
                w.Date(report.ToLocal(o.BreachedAt));
            }, ct);
        });
    }

    private static void Row(XlsxWriter w, string code, string? name, UnitCompliance u, bool total)
    {
        w.StartRow();
        w.Text(code, total ? CellStyle.Label : CellStyle.Text);
        w.Text(name);
        foreach (var n in new[] { u.InScope, u.SealedOnTime, u.SealedLate, u.Exempted, u.Overdue, u.Breached, u.Pending })
            w.Number((long)n, total ? CellStyle.TotalInteger : CellStyle.Integer);
        w.Number(u.Rate, total ? CellStyle.TotalPercent : CellStyle.Percent);
    }
}
