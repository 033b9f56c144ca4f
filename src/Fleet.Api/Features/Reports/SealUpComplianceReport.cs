using Fleet.Api.Features.SealUp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// Seal-up compliance of one schedule, per unit, as <see cref="SealUpRules.ComplianceAsync"/> counts it; then every order.
/// </summary>
public static class SealUpComplianceReport
{
    /// <summary>The report is of one schedule: the endpoint and the reports page refuse it unnamed.</summary>
    public static Refusal? Unnamed(Guid? scheduleId) => scheduleId is null ? Refusal.Invalid("scheduleId", "SealUp.ScheduleRequired") : null;

    /// <remarks>
    /// Before the schedule's deadline a car still to seal is not a failure: the workbook is of 封存进度 (the units'
    /// sealed share, 已封存 ÷ 应封存), and of 封存合规率 only once the deadline has passed.
    /// </remarks>
    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(Guid? scheduleId, FleetDbContext db, ReportFile report, TimeProvider clock, CancellationToken ct)
    {
        if (Unnamed(scheduleId) is { } unnamed) return Problems.Field(unnamed.Field!, unnamed.Text);
        var schedule = await db.SealUpSchedules.AsNoTracking()
            .Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, s.SealDeadline, s.ReleaseAt, h.Name })
            .FirstOrDefaultAsync(s => s.Id == scheduleId, ct);
        if (schedule is null) return Problems.Field("scheduleId", "SealUp.NoSuchSchedule");
        if (report.TooMany(await SealUpRules.OrdersInAsync(db, schedule.Id, ct), "scheduleId") is { } tooMany) return tooMany;

        var units = await SealUpRules.ComplianceAsync(db, schedule.Id, ct);
        var regions = await report.RegionsAsync(db, ct);
        var filters = ReportFile.Describe(regions.Filter, ("节假日", schedule.Name), ("封存时限", $"{report.ToLocal(schedule.SealDeadline):yyyy-MM-dd HH:mm}"),
            ("启封时间", $"{report.ToLocal(schedule.ReleaseAt):yyyy-MM-dd HH:mm}"));
        var before = clock.GetUtcNow().UtcDateTime < schedule.SealDeadline;
        var (what, rate) = before ? ("封存进度", "封存进度") : ("封存合规率", "合规率");
        return await report.BuildAsync("sealup-compliance", async w =>
        {
            regions.Sheet(w, report, $"节假日公务用车{what}（{schedule.Name}）", filters, ["应封存", "按时封存", "逾期封存", "豁免"],
                units.Select(u => (u.UnitId, new long[] { u.InScope, u.SealedOnTime, u.SealedLate, u.Exempted })),
                (rate, v => Recoveries.RecoveryRates.Fraction((int)(v[1] + (before ? v[2] : v[3])), (int)v[0])));
            report.StartSheet(w, rate, $"节假日公务用车{what}（{schedule.Name}）", filters,
            [
                new("单位代码", 10), new("单位名称", 14), new("应封存", 7), new("按时封存", 7), new("逾期封存", 7),
                new("豁免", 7), new("未封存", 7), new("封条破坏", 7), new("待封存", 7), new(rate, 9),
            ]);
            foreach (var u in units)
                Row(w, u.Code, u.Name, u, total: false, before);
            w.EndTable();
            Row(w, "合计", null, UnitCompliance.Total(units), total: true, before);

            report.RateChart(w, "图表", $"各单位{what}（{schedule.Name}）", filters, rate, units.Select(u => (u.Name, before ? u.Progress : u.Rate)));

            await OrdersSheetAsync(w, schedule.Id, schedule.Name, filters, db, report, ct);
        }, what);
    }

    /// <summary>Every order of the schedule, by unit and plate.</summary>
    private static async Task OrdersSheetAsync(XlsxWriter w, Guid scheduleId, string holiday, string filters, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        report.StartSheet(w, "封存明细", $"封存明细（{holiday}）", filters,
        [
            new("车牌", 10), new("单位代码", 10), new("单位名称", 14), new("状态", 8), new("封条号", 8),
            new("停放地点", 12, 30), new("封存时间", 17), new("逾期", 6), new("启封时间", 17), new("提前启封", 8), new("破坏时间", 17),
        ]);
        var orders = db.SealOrders.AsNoTracking().Where(o => o.ScheduleId == scheduleId);
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
    }

    private static void Row(XlsxWriter w, string code, string? name, UnitCompliance u, bool total, bool progress)
    {
        w.StartRow();
        w.Text(code, total ? CellStyle.Label : CellStyle.Text);
        w.Text(name);
        foreach (var n in new[] { u.InScope, u.SealedOnTime, u.SealedLate, u.Exempted, u.Overdue, u.Breached, u.Pending })
            w.Number((long)n, total ? CellStyle.TotalInteger : CellStyle.Integer);
        w.Number(progress ? u.Progress : u.Rate, total ? CellStyle.TotalPercent : CellStyle.Percent);
    }
}
