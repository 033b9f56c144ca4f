using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Reports;

/// <summary>Violations: a unit × type summary, every violation, and every action taken against a person.</summary>
public static class ViolationsReport
{
    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(
        string? from, string? to, Guid? unitId, ViolationType? type, ViolationStatus? status, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var range = report.Local.ParseRange(from, to);
        if (range.Errors is not null) return TypedResults.ValidationProblem(range.Errors);
        var violations = db.Violations.AsNoTracking();
        if (unitId is not null) violations = violations.Where(v => v.UnitId == unitId);
        if (type is not null) violations = violations.Where(v => v.Type == type);
        if (status is not null) violations = violations.Where(v => v.Status == status);
        if (range.From is not null) violations = violations.Where(v => v.DetectedAt >= range.From);
        if (range.To is not null) violations = violations.Where(v => v.DetectedAt < range.To);
        var actions = db.PersonActions.AsNoTracking().Where(a => violations.Any(v => v.Id == a.ViolationId));
        if (report.TooMany(await violations.CountAsync(ct), "from", "to", "unitId", "type", "status") is { } tooMany) return tooMany;
        if (report.TooMany(await actions.CountAsync(ct), "from", "to", "unitId", "type", "status") is { } tooManyActions) return tooManyActions;

        var filters = ReportEndpoints.Describe(("from", from), ("to", to), ("unitId", unitId), ("type", type), ("status", status));
        return await report.BuildAsync("violations", async w =>
        {
            await SummaryAsync(w, db, violations, report, filters, ct);
            await DetailsAsync(w, db, violations, report, filters, ct);
            await ActionsAsync(w, db, violations, actions, report, filters, ct);
        });
    }

    private static async Task SummaryAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations, ReportFile report, string filters, CancellationToken ct)
    {
        var types = Enum.GetValues<ViolationType>();
        var counts = await violations.GroupBy(v => new { v.UnitId, v.Type }).Select(g => new { g.Key.UnitId, g.Key.Type, Count = g.Count() }).ToListAsync(ct);
        var unitIds = counts.Select(c => c.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name }).ToListAsync(ct);
        var byUnit = counts.ToLookup(c => c.UnitId);
        report.StartSheet(w, "汇总 Summary", "违规问题汇总（单位 × 类型） Violations by unit and type", filters,
            [("单位代码 Unit code", 14), ("单位名称 Unit", 30), .. types.Select(t => (t.ToString(), 12.0)), ("合计 Total", 10)]);
        foreach (var unit in units)
        {
            w.StartRow();
            w.Text(unit.Code);
            w.Text(unit.Name);
            foreach (var t in types) w.Number((long)byUnit[unit.Id].Where(c => c.Type == t).Sum(c => c.Count));
            w.Number((long)byUnit[unit.Id].Sum(c => c.Count));
        }
        w.StartRow();
        w.Text("合计 Total", CellStyle.Label);
        w.Skip();
        foreach (var t in types) w.Number((long)counts.Where(c => c.Type == t).Sum(c => c.Count));
        w.Number((long)counts.Sum(c => c.Count));
    }

    private static async Task DetailsAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations, ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "违规明细 Violations", "违规问题明细 Every violation", filters,
        [
            ("发现时间 Detected", 17), ("类型 Type", 20), ("车牌 Plate", 12), ("单位代码 Unit code", 12), ("单位名称 Unit", 28),
            ("来源 Source", 12), ("状态 Status", 10), ("处理人数 Actions", 10), ("备注 Notes", 40), ("办结时间 Closed", 17), ("办结说明 Close reason", 30),
        ]);
        var rows = violations.OrderBy(v => v.DetectedAt).ThenBy(v => v.Id)
            .Join(db.Units, v => v.UnitId, u => u.Id, (v, u) => new
            {
                v.DetectedAt,
                v.Type,
                v.PlateNumber,
                u.Code,
                u.Name,
                v.Source,
                v.Status,
                Actions = db.PersonActions.Count(a => a.ViolationId == v.Id),
                v.Notes,
                v.ClosedAt,
                v.CloseReason,
            });
        await foreach (var v in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            w.StartRow();
            w.Date(report.ToLocal(v.DetectedAt));
            w.Text(v.Type.ToString());
            w.Text(v.PlateNumber);
            w.Text(v.Code);
            w.Text(v.Name);
            w.Text(v.Source.ToString());
            w.Text(v.Status.ToString());
            w.Number((long)v.Actions);
            w.Text(v.Notes);
            w.Date(report.ToLocal(v.ClosedAt));
            w.Text(v.CloseReason);
        }
    }

    private static async Task ActionsAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations, IQueryable<PersonAction> actions,
        ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "问责处理 Actions", "对人员的处理 Actions taken against persons", filters,
        [
            ("处理时间 Recorded", 17), ("姓名 Person", 12), ("职务 Position", 18), ("处理方式 Action", 18), ("说明 Note", 30),
            ("违规类型 Violation", 20), ("车牌 Plate", 12), ("单位名称 Unit", 28), ("发现时间 Detected", 17),
        ]);
        var rows = actions.OrderBy(a => a.RecordedAt).ThenBy(a => a.Id)
            .Join(violations, a => a.ViolationId, v => v.Id, (a, v) => new { a, v })
            .Join(db.Units, x => x.v.UnitId, u => u.Id, (x, u) => new
            {
                x.a.RecordedAt,
                x.a.PersonName,
                x.a.Position,
                x.a.Action,
                x.a.Note,
                x.v.Type,
                x.v.PlateNumber,
                u.Name,
                x.v.DetectedAt,
            });
        await foreach (var a in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            w.StartRow();
            w.Date(report.ToLocal(a.RecordedAt));
            w.Text(a.PersonName);
            w.Text(a.Position);
            w.Text(a.Action.ToString());
            w.Text(a.Note);
            w.Text(a.Type.ToString());
            w.Text(a.PlateNumber);
            w.Text(a.Name);
            w.Date(report.ToLocal(a.DetectedAt));
        }
    }
}
