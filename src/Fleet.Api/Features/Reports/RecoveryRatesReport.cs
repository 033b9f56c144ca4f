using Fleet.Api.Features.Recoveries;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Reports;

/// <summary>Recovery rates per unit with totals, then every case.</summary>
public static class RecoveryRatesReport
{
    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(Guid? campaignId, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var campaign = campaignId is null ? null : await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaignId is not null && campaign is null) return Problems.Field("campaignId", "No campaign has this id.");
        var cases = db.RecoveryCases.AsNoTracking();
        if (campaignId is not null) cases = cases.Where(r => r.CampaignId == campaignId);
        if (report.TooMany(await cases.CountAsync(ct), "campaignId") is { } tooMany) return tooMany;

        var everyone = new Caller(Guid.Empty, "report", Role.Auditor, null);
        var rates = await RecoveryRates.ComputeAsync(db, campaignId, everyone, ct);
        var filters = campaign is null ? "全部专项行动 All campaigns" : $"campaign={campaign.Name} ({campaign.StartsOn:yyyy-MM-dd} – {campaign.EndsOn:yyyy-MM-dd})";
        return await report.BuildAsync("recovery-rates", async w =>
        {
            report.StartSheet(w, "追缴率 Rates", "违规公务用车追缴率 Recovery rates", filters,
            [
                ("单位代码 Unit code", 14), ("单位名称 Unit", 30), ("认定 Identified", 12), ("已追缴 Recovered", 12),
                ("已撤销 Cancelled", 12), ("未办结 Outstanding", 12), ("追缴率 Rate", 12),
            ]);
            foreach (var u in rates.Units)
                Row(w, u.UnitCode, u.UnitName, u.Identified, u.Recovered, u.Cancelled, u.Outstanding, u.Rate, CellStyle.Text);
            Row(w, "合计 Total", null, rates.Identified, rates.Recovered, rates.Cancelled, rates.Outstanding, rates.Rate, CellStyle.Label);

            report.StartSheet(w, "案件 Cases", "追缴案件明细 Recovery cases", filters,
            [
                ("专项行动 Campaign", 30), ("车牌 Plate", 12), ("单位代码 Unit code", 12), ("单位名称 Unit", 28), ("认定原因 Reason", 22),
                ("期限 Due on", 12), ("状态 Status", 11), ("逾期 Past due", 9), ("追缴日期 Recovered on", 14), ("处置方式 Disposition", 18), ("撤销原因 Cancel reason", 30),
            ]);
            var rows = cases.OrderBy(r => r.OpenedAt).ThenBy(r => r.Id)
                .Join(db.Units, r => r.UnitId, u => u.Id, (r, u) => new { r, u.Code, u.Name })
                .Join(db.Campaigns, x => x.r.CampaignId, c => c.Id, (x, c) => new
                {
                    Campaign = c.Name,
                    x.r.PlateNumber,
                    x.Code,
                    x.Name,
                    x.r.Reason,
                    x.r.DueOn,
                    x.r.Status,
                    x.r.PastDue,
                    x.r.RecoveredOn,
                    x.r.Disposition,
                    x.r.CancelReason,
                });
            await ReportFile.StreamAsync(rows, r =>
            {
                w.StartRow();
                w.Text(r.Campaign);
                w.Text(r.PlateNumber);
                w.Text(r.Code);
                w.Text(r.Name);
                w.Text(r.Reason.ToString());
                w.Date(r.DueOn);
                w.Text(r.Status.ToString());
                w.Text(r.PastDue ? "是 Yes" : "否 No");
                w.Date(r.RecoveredOn);
                w.Text(r.Disposition?.ToString());
                w.Text(r.CancelReason);
            }, ct);
        });
    }

    private static void Row(XlsxWriter w, string code, string? name, int identified, int recovered, int cancelled, int outstanding, decimal? rate, CellStyle style)
    {
        w.StartRow();
        w.Text(code, style);
        w.Text(name);
        w.Number((long)identified);
        w.Number((long)recovered);
        w.Number((long)cancelled);
        w.Number((long)outstanding);
        if (rate is null) w.Text("n/a"); else w.Number(rate, CellStyle.Percent);
    }
}
