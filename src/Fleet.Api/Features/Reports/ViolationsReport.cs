using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// Violations: a unit × type summary, every violation, and every action taken against a person. The details are
/// streamed once; the summary is counted on the way and written after them, though its tab comes first.
/// </summary>
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

        // Small lookups instead of per-row joins: units are at most a province's ten thousand; action counts exist only for violations that have actions.
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => (u.Code, u.Name), ct);
        var actionCounts = await actions.GroupBy(a => a.ViolationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var filters = ReportEndpoints.Describe(("from", from), ("to", to), ("unitId", unitId), ("type", type), ("status", status));
        return await report.BuildAsync("violations", async w =>
        {
            var summary = await DetailsAsync(w, violations, units, actionCounts, report, filters, ct);
            await ActionsAsync(w, db, violations, actions, units, report, filters, ct);
            Summary(w, summary, units, report, filters);
        });
    }

    private static async Task<Dictionary<(Guid Unit, ViolationType Type), long>> DetailsAsync(XlsxWriter w, IQueryable<Violation> violations,
        Dictionary<Guid, (string Code, string Name)> units, Dictionary<Guid, int> actionCounts, ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "违规明细 Violations", "违规问题明细 Every violation", filters,
        [
            ("发现时间 Detected", 17), ("类型 Type", 20), ("车牌 Plate", 12), ("单位代码 Unit code", 12), ("单位名称 Unit", 28),
            ("来源 Source", 12), ("状态 Status", 10), ("处理人数 Actions", 10), ("备注 Notes", 40), ("办结时间 Closed", 17), ("办结说明 Close reason", 30),
        ], position: 1);
        var counts = new Dictionary<(Guid, ViolationType), long>();
        // Ordered by the indexed time alone: a tie-breaker would make SQLite sort all rows again (measured: 40 % slower).
        var rows = violations.OrderBy(v => v.DetectedAt)
            .Select(v => new { v.Id, v.DetectedAt, v.Type, v.PlateNumber, v.UnitId, v.Source, v.Status, v.Notes, v.ClosedAt, v.CloseReason });
        await ReportFile.StreamAsync(rows, v =>
        {
            var unit = units.GetValueOrDefault(v.UnitId);
            counts[(v.UnitId, v.Type)] = counts.GetValueOrDefault((v.UnitId, v.Type)) + 1;
            w.StartRow();
            w.Date(report.ToLocal(v.DetectedAt));
            w.Text(v.Type.ToString());
            w.Text(v.PlateNumber);
            w.Text(unit.Code);
            w.Text(unit.Name);
            w.Text(v.Source.ToString());
            w.Text(v.Status.ToString());
            w.Number((long)actionCounts.GetValueOrDefault(v.Id));
            w.Text(v.Notes);
            w.Date(report.ToLocal(v.ClosedAt));
            w.Text(v.CloseReason);
        }, ct);
        return counts;
    }

    private static void Summary(XlsxWriter w, Dictionary<(Guid Unit, ViolationType Type), long> counts, Dictionary<Guid, (string Code, string Name)> units,
        ReportFile report, string filters)
    {
        var types = Enum.GetValues<ViolationType>();
        report.StartSheet(w, "汇总 Summary", "违规问题汇总（单位 × 类型） Violations by unit and type", filters,
            [("单位代码 Unit code", 14), ("单位名称 Unit", 30), .. types.Select(t => (t.ToString(), 12.0)), ("合计 Total", 10)], position: 0);
        foreach (var unitId in counts.Keys.Select(k => k.Unit).Distinct().OrderBy(u => units.GetValueOrDefault(u).Code, StringComparer.Ordinal))
        {
            w.StartRow();
            w.Text(units.GetValueOrDefault(unitId).Code);
            w.Text(units.GetValueOrDefault(unitId).Name);
            foreach (var t in types) w.Number(counts.GetValueOrDefault((unitId, t)));
            w.Number(types.Sum(t => counts.GetValueOrDefault((unitId, t))));
        }
        w.StartRow();
        w.Text("合计 Total", CellStyle.Label);
        w.Skip();
        foreach (var t in types) w.Number(counts.Where(c => c.Key.Type == t).Sum(c => c.Value));
        w.Number(counts.Values.Sum());
    }

    private static async Task ActionsAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations, IQueryable<PersonAction> actions,
        Dictionary<Guid, (string Code, string Name)> units, ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "问责处理 Actions", "对人员的处理 Actions taken against persons", filters,
        [
            ("处理时间 Recorded", 17), ("姓名 Person", 12), ("职务 Position", 18), ("处理方式 Action", 18), ("说明 Note", 30),
            ("违规类型 Violation", 20), ("车牌 Plate", 12), ("单位名称 Unit", 28), ("发现时间 Detected", 17),
        ], position: 2);
        var rows = actions.OrderBy(a => a.RecordedAt).ThenBy(a => a.Id)
            .Join(violations, a => a.ViolationId, v => v.Id, (a, v) => new
            {
                a.RecordedAt,
                a.PersonName,
                a.Position,
                a.Action,
                a.Note,
                v.Type,
                v.PlateNumber,
                v.UnitId,
                v.DetectedAt,
            });
        await ReportFile.StreamAsync(rows, a =>
        {
            w.StartRow();
            w.Date(report.ToLocal(a.RecordedAt));
            w.Text(a.PersonName);
            w.Text(a.Position);
            w.Text(a.Action.ToString());
            w.Text(a.Note);
            w.Text(a.Type.ToString());
            w.Text(a.PlateNumber);
            w.Text(units.GetValueOrDefault(a.UnitId).Name);
            w.Date(report.ToLocal(a.DetectedAt));
        }, ct);
    }
}
