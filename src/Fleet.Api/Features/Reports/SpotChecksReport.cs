using Fleet.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Reports;

/// <summary>The spot-check log: every check in the period, with what it corrected and the violation it opened.</summary>
public static class SpotChecksReport
{
    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(string? from, string? to, Guid? unitId, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var range = report.Local.ParseRange(from, to);
        if (range.Errors is not null) return TypedResults.ValidationProblem(range.Errors);
        var checks = db.SpotChecks.AsNoTracking();
        if (unitId is not null) checks = checks.Where(s => s.UnitId == unitId);
        if (range.From is not null) checks = checks.Where(s => s.CheckedAt >= range.From);
        if (range.To is not null) checks = checks.Where(s => s.CheckedAt < range.To);
        if (report.TooMany(await checks.CountAsync(ct), "from", "to", "unitId") is { } tooMany) return tooMany;

        var filters = ReportEndpoints.Describe(("from", from), ("to", to), ("unitId", unitId));
        return await report.BuildAsync("spot-checks", async w =>
        {
            report.StartSheet(w, "抽查记录 Spot checks", "监督抽查记录 Spot-check log", filters,
            [
                ("检查时间 Checked at", 17), ("车牌 Plate", 12), ("在册 Registered", 9), ("单位代码 Unit code", 12), ("单位名称 Unit", 28),
                ("地点 Location", 26), ("结果 Finding", 18), ("备注 Notes", 36), ("检查人 Inspector", 12), ("更正记录 Corrects", 36), ("已被更正 Corrected", 10),
            ]);
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
                    s.CorrectsId,
                    Corrected = db.SpotChecks.Any(c => c.CorrectsId == s.Id),
                });
            await ReportFile.StreamAsync(rows, s =>
            {
                w.StartRow();
                w.Date(report.ToLocal(s.CheckedAt));
                w.Text(s.PlateNumber);
                w.Text(s.Registered ? "是 Yes" : "否 No");
                w.Text(s.Code);
                w.Text(s.Name);
                w.Text(s.Location);
                w.Text(s.Finding.ToString());
                w.Text(s.Notes);
                w.Text(s.RecordedBy);
                w.Text(s.CorrectsId?.ToString());
                w.Text(s.Corrected ? "是 Yes" : "否 No");
            }, ct);
        });
    }
}
