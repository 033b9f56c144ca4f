using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// Violations: a unit × type summary, the counts by type and status and the actions by kind, every violation, and every
/// action taken against a person. The details are streamed once; the summaries are counted on the way and written after
/// them, though their tabs come first.
/// </summary>
public static class ViolationsReport
{
    private static readonly ViolationType[] Types = Enum.GetValues<ViolationType>();
    private static readonly ViolationStatus[] Statuses = Enum.GetValues<ViolationStatus>();
    private static readonly PersonActionKind[] Kinds = Enum.GetValues<PersonActionKind>();

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(
        string? from, string? to, Guid? unitId, ViolationType? type, ViolationStatus? status, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var range = report.Local.ParseRange(from, to);
        if (range.Errors is not null) return Problems.Invalid(range.Errors);
        // Every read of the report through one connection, on SQLite a mapped one (the action counts below visit a
        // month's violations out of order as the details do).
        await using var mapped = await report.ReadAsync(db, ct);
        // Small lookups instead of per-row joins: units are at most a province's ten thousand.
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => (u.Code, u.Name), ct);
        if (unitId is not null && !units.ContainsKey(unitId.Value)) return Problems.Field("unitId", "Common.NoSuchUnit");
        var violations = db.Violations.AsNoTracking();
        if (unitId is not null) violations = violations.Where(v => v.UnitId == unitId);
        if (type is not null) violations = violations.Where(v => v.Type == type);
        if (status is not null) violations = violations.Where(v => v.Status == status);
        if (range.From is not null) violations = violations.Where(v => v.DetectedAt >= range.From);
        if (range.To is not null) violations = violations.Where(v => v.DetectedAt < range.To);
        // The actions of these violations by a join from the violations' side: the database starts from the rows the
        // filters and the scope narrow, not from every action of the province.
        var actions = violations.Join(db.PersonActions.AsNoTracking(), v => v.Id, a => a.ViolationId, (v, a) => a);
        if (report.TooMany(await violations.CountAsync(ct), "from", "to", "unitId", "type", "status") is { } tooMany) return tooMany;
        // Action counts exist only for violations that have actions (at most the violations just counted); their sum is
        // the actions sheet's rows, so the actions are not counted by a query of their own (one join of three).
        var actionCounts = await actions.GroupBy(a => a.ViolationId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        if (report.TooMany(actionCounts.Values.Sum(c => (long)c), "from", "to", "unitId", "type", "status") is { } tooManyActions) return tooManyActions;
        var regions = await report.RegionsAsync(db, ct);
        var cases = await Workspace.RecordNames.CasesAsync(db, ct);
        var filters = ReportFile.Describe(
            regions.Filter,
            ("发现时间", ReportFile.Period(from, to)),
            ("单位", unitId is { } u ? $"{units[u].Name}（{units[u].Code}）" : null),
            ("类型", type is { } t ? Labels.Of(t) : null),
            ("状态", status is { } s ? Labels.Of(s) : null));
        return await report.BuildAsync("violations", async w =>
        {
            var counted = await DetailsAsync(w, db, violations, units, actionCounts, cases, report, filters, ct);
            var kinds = await ActionsAsync(w, db, violations, actions, units, report, filters, ct);
            Summary(w, counted.ByUnit, units, report, filters);
            regions.Sheet(w, report, "违规问题", filters, [.. Types.Select(t => Labels.Of(t)), "合计"],
                counted.ByUnit.GroupBy(c => c.Key.Unit).Select(g => (g.Key, Types.Select(t => g.Where(c => c.Key.Type == t).Sum(c => c.Value)).Append(g.Sum(c => c.Value)).ToArray())));
            Counts(w, counted.ByTypeAndStatus, kinds, report, filters);
        });
    }

    private sealed record Counted(Dictionary<(Guid Unit, ViolationType Type), long> ByUnit, long[,] ByTypeAndStatus);

    private static async Task<Counted> DetailsAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations,
        Dictionary<Guid, (string Code, string Name)> units, Dictionary<Guid, int> actionCounts, Func<Guid, string?> cases, ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "违规明细", "违规问题明细", filters,
        [
            new("发现时间", 17), new("类型", 10), new("车牌", 10), new("单位代码", 10), new("单位名称", 14),
            new("来源", 8), new("状态", 8), new("处理人数", 8), new("备注", 12, 40), new("办结时间", 17), new("办结说明", 10, 40),
        ], position: 2);
        var counts = new Dictionary<(Guid, ViolationType), long>();
        var byTypeAndStatus = new long[Types.Length, Statuses.Length];
        // Ordered by the indexed time alone: a tie-breaker would make SQLite sort all rows again (measured: 40 % slower).
        var rows = violations.OrderBy(v => v.DetectedAt)
            .Select(v => new { v.Id, v.DetectedAt, v.Type, v.PlateNumber, v.UnitId, v.Source, v.Status, v.Notes, v.ClosedAt, v.CloseReason });
        // Read as the database holds the rows (RawRows), by position in the projection above.
        await ReportFile.StreamAsync(db, rows, v =>
        {
            var (unitId, type, status) = (v.Guid(4), v.Enum<ViolationType>(2), v.Enum<ViolationStatus>(6));
            var unit = units.GetValueOrDefault(unitId);
            counts[(unitId, type)] = counts.GetValueOrDefault((unitId, type)) + 1;
            byTypeAndStatus[Array.IndexOf(Types, type), Array.IndexOf(Statuses, status)]++;
            w.StartRow();
            w.Date(report.ToLocal(v.Utc(1)));
            w.Text(Labels.Of(type));
            w.Text(v, 3);
            w.Text(unit.Code);
            w.Text(unit.Name);
            w.Text(Labels.Of(v.Enum<ViolationSource>(5)));
            w.Text(Labels.Of(status));
            w.Number(actionCounts.Count == 0 ? 0L : actionCounts.GetValueOrDefault(v.Guid(0)));
            w.Text(v, 7);
            w.Date(report.ToLocal(v.Utc(8)));
            w.Text(v.String(9) is { } reason ? Workspace.Chinese.Recorded(reason, cases) : null);
        }, ct);
        return new Counted(counts, byTypeAndStatus);
    }

    private static void Summary(XlsxWriter w, Dictionary<(Guid Unit, ViolationType Type), long> counts, Dictionary<Guid, (string Code, string Name)> units,
        ReportFile report, string filters)
    {
        report.StartSheet(w, "汇总", "违规问题汇总（单位 × 类型）", filters,
            [new("单位代码", 10), new("单位名称", 14), .. Types.Select(t => new Column(Labels.Of(t), 7)), new("合计", 7)], position: 0);
        foreach (var unitId in counts.Keys.Select(k => k.Unit).Distinct().OrderBy(u => units.GetValueOrDefault(u).Code, StringComparer.Ordinal))
        {
            w.StartRow();
            w.Text(units.GetValueOrDefault(unitId).Code);
            w.Text(units.GetValueOrDefault(unitId).Name);
            foreach (var t in Types) w.Number(counts.GetValueOrDefault((unitId, t)));
            w.Number(Types.Sum(t => counts.GetValueOrDefault((unitId, t))));
        }
        w.EndTable();
        w.StartRow();
        w.Text("合计", CellStyle.Label);
        w.Skip();
        foreach (var t in Types) w.Number(counts.Where(c => c.Key.Type == t).Sum(c => c.Value), CellStyle.TotalInteger);
        w.Number(counts.Values.Sum(), CellStyle.TotalInteger);
    }

    /// <summary>What a meeting asks first: how many of each type, how many still open, and what was done to whom.</summary>
    private static void Counts(XlsxWriter w, long[,] byTypeAndStatus, long[] kinds, ReportFile report, string filters)
    {
        report.StartSheet(w, "分类统计", "违规问题分类统计（类型 × 状态）及对人员的处理", filters,
            [new("违规类型", 14), .. Statuses.Select(s => new Column(Labels.Of(s), 9)), new("合计", 9), new("占比", 9)], position: 1);
        var total = 0L;
        foreach (var n in byTypeAndStatus) total += n;
        for (var t = 0; t < Types.Length; t++)
        {
            w.StartRow();
            w.Text(Labels.Of(Types[t]));
            var sum = 0L;
            for (var s = 0; s < Statuses.Length; s++)
            {
                w.Number(byTypeAndStatus[t, s]);
                sum += byTypeAndStatus[t, s];
            }
            w.Number(sum);
            w.Number(total == 0 ? null : (decimal)sum / total, CellStyle.Percent);
        }
        w.EndTable();
        w.StartRow();
        w.Text("合计", CellStyle.Label);
        for (var s = 0; s < Statuses.Length; s++)
        {
            var sum = 0L;
            for (var t = 0; t < Types.Length; t++) sum += byTypeAndStatus[t, s];
            w.Number(sum, CellStyle.TotalInteger);
        }
        w.Number(total, CellStyle.TotalInteger);
        w.Number(total == 0 ? null : 1m, CellStyle.TotalPercent);

        w.StartRow();
        w.StartRow();
        w.Text("对人员的处理（按处理方式）", CellStyle.Title);
        w.StartRow();
        w.Text("处理方式", CellStyle.Header);
        w.Text("人次", CellStyle.Header);
        for (var k = 0; k < Kinds.Length; k++)
        {
            w.StartRow();
            w.Text(Labels.Of(Kinds[k]));
            w.Number(kinds[k]);
        }
        w.StartRow();
        w.Text("合计", CellStyle.Label);
        w.Number(kinds.Sum(), CellStyle.TotalInteger);
    }

    private static async Task<long[]> ActionsAsync(XlsxWriter w, FleetDbContext db, IQueryable<Violation> violations, IQueryable<PersonAction> actions,
        Dictionary<Guid, (string Code, string Name)> units, ReportFile report, string filters, CancellationToken ct)
    {
        report.StartSheet(w, "问责处理", "对人员的处理", filters,
        [
            new("处理时间", 17), new("姓名", 8), new("职务", 10), new("处理方式", 10), new("说明", 12, 36),
            new("违规类型", 10), new("车牌", 10), new("单位名称", 14), new("发现时间", 17),
        ], position: 3);
        var kinds = new long[Kinds.Length];
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
        await ReportFile.StreamAsync(db, rows, a =>
        {
            var action = a.Enum<PersonActionKind>(3);
            kinds[Array.IndexOf(Kinds, action)]++;
            w.StartRow();
            w.Date(report.ToLocal(a.Utc(0)));
            w.Text(a, 1);
            w.Text(a, 2);
            w.Text(Labels.Of(action));
            w.Text(a, 4);
            w.Text(Labels.Of(a.Enum<ViolationType>(5)));
            w.Text(a, 6);
            w.Text(units.GetValueOrDefault(a.Guid(7)).Name);
            w.Date(report.ToLocal(a.Utc(8)));
        }, ct);
        return kinds;
    }
}
