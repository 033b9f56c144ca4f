using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Reports;

/// <summary>The spot-check log: counts per unit and finding, then every check in the period, with what it corrected.</summary>
public static class SpotChecksReport
{
    private static readonly SpotCheckFinding[] Findings = Enum.GetValues<SpotCheckFinding>();

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(string? from, string? to, Guid? unitId, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var range = report.Local.ParseRange(from, to);
        if (range.Errors is not null) return Problems.Invalid(range.Errors);
        var unit = unitId is null ? null : await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Code, u.Name }).FirstOrDefaultAsync(ct);
        if (unitId is not null && unit is null) return Problems.Field("unitId", "Common.NoSuchUnit");
        var checks = db.SpotChecks.AsNoTracking();
        if (unitId is not null) checks = checks.Where(s => s.UnitId == unitId);
        if (range.From is not null) checks = checks.Where(s => s.CheckedAt >= range.From);
        if (range.To is not null) checks = checks.Where(s => s.CheckedAt < range.To);
        if (report.TooMany(await checks.CountAsync(ct), "from", "to", "unitId") is { } tooMany) return tooMany;

        var regions = await report.RegionsAsync(db, ct);
        var filters = ReportFile.Describe(regions.Filter, ("检查时间", ReportFile.Period(from, to)), ("单位", unit is null ? null : $"{unit.Name}（{unit.Code}）"));
        return await report.BuildAsync("spot-checks", async w =>
        {
            var counts = await LogSheetAsync(w, checks, filters, db, report, ct);
            SummarySheet(w, counts, filters, report);
            regions.SheetByCode(w, report, "监督抽查", filters, [.. Findings.Select(f => Labels.Of(f)), "合计"],
                counts.Select(c => (c.Key.Code, c.Value.Append(c.Value.Sum()).ToArray())));
        });
    }

    /// <summary>Every check in the period, in time order; answers the counts per unit and finding (a corrected check counted as its correction).</summary>
    private static async Task<Dictionary<(string Code, string Name), long[]>> LogSheetAsync(XlsxWriter w, IQueryable<SpotCheck> checks, string filters,
        FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        report.StartSheet(w, "抽查记录", "监督抽查记录", filters,
        [
            new("检查时间", 17), new("车牌", 10), new("在册", 6), new("单位代码", 10), new("单位名称", 14),
            new("地点", 12, 30), new("结果", 10), new("备注", 12, 36), new("检查人", 8), new("更正", 12, 30), new("已被更正", 8),
        ], position: 1);
        var counts = new Dictionary<(string Code, string Name), long[]>();
        // Inspectors by name, as people know them (a district has tens of users, a province thousands).
        var names = await db.Users.AsNoTracking().Where(u => u.DisplayName != null).ToDictionaryAsync(u => u.Username, u => u.DisplayName!, ct);
        var rows = checks.OrderBy(s => s.CheckedAt).ThenBy(s => s.Id)
            .Join(db.Units, s => s.UnitId, u => u.Id, (s, u) => new
            {
                s.CheckedAt,
                s.PlateNumber,
                Registered = s.VehicleId != null,
                u.Code,
                u.Name,
                s.Location,
                s.Finding,
                s.Notes,
                s.RecordedBy,
                Corrects = db.SpotChecks.Where(c => c.Id == s.CorrectsId).Select(c => new { c.CheckedAt, c.Finding }).FirstOrDefault(),
                Corrected = db.SpotChecks.Any(c => c.CorrectsId == s.Id),
            });
        await ReportFile.StreamAsync(rows, s =>
        {
            if (!counts.TryGetValue((s.Code, s.Name), out var byFinding)) counts[(s.Code, s.Name)] = byFinding = new long[Findings.Length];
            // A check corrected later counts as its correction, not twice.
            if (!s.Corrected) byFinding[Array.IndexOf(Findings, s.Finding)]++;
            w.StartRow();
            w.Date(report.ToLocal(s.CheckedAt));
            w.Text(s.PlateNumber);
            w.Text(Labels.YesNo(s.Registered));
            w.Text(s.Code);
            w.Text(s.Name);
            w.Text(s.Location);
            w.Text(Labels.Of(s.Finding));
            w.Text(s.Notes);
            w.Text(names.GetValueOrDefault(s.RecordedBy, s.RecordedBy));
            // The corrected check is named by its time and finding, as an inspector would find it in this log.
            w.Text(s.Corrects is null ? null : $"更正 {report.ToLocal(s.Corrects.CheckedAt):yyyy-MM-dd HH:mm} 的检查（{Labels.Of(s.Corrects.Finding)}）");
            w.Text(Labels.YesNo(s.Corrected));
        }, ct);
        return counts;
    }

    private static void SummarySheet(XlsxWriter w, Dictionary<(string Code, string Name), long[]> counts, string filters, ReportFile report)
    {
        report.StartSheet(w, "汇总", "监督抽查汇总（单位 × 检查结果，已被更正的检查按更正后的结果计）", filters,
            [new("单位代码", 10), new("单位名称", 14), .. Findings.Select(f => new Column(Labels.Of(f), 7)), new("合计", 7)], position: 0);
        foreach (var ((code, name), byFinding) in counts.OrderBy(c => c.Key.Code, StringComparer.Ordinal))
        {
            w.StartRow();
            w.Text(code);
            w.Text(name);
            foreach (var n in byFinding) w.Number(n);
            w.Number(byFinding.Sum());
        }
        w.EndTable();
        w.StartRow();
        w.Text("合计", CellStyle.Label);
        w.Skip();
        for (var f = 0; f < Findings.Length; f++) w.Number(counts.Values.Sum(c => c[f]), CellStyle.TotalInteger);
        w.Number(counts.Values.Sum(c => c.Sum()), CellStyle.TotalInteger);
    }
}
