using Fleet.Api.Features.Recoveries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Reports;

/// <summary>Recovery rates per unit with totals, then every case.</summary>
public static class RecoveryRatesReport
{
    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> Handle(Guid? campaignId, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        var campaign = campaignId is null ? null : await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaignId is not null && campaign is null) return Problems.Field("campaignId", "Recoveries.NoSuchCampaign");
        var cases = db.RecoveryCases.AsNoTracking();
        if (campaignId is not null) cases = cases.Where(r => r.CampaignId == campaignId);
        if (report.TooMany(await cases.CountAsync(ct), "campaignId") is { } tooMany) return tooMany;

        var everyone = new Caller(Guid.Empty, "report", Role.Auditor, null);
        var rates = await RecoveryRates.ComputeAsync(db, campaignId, everyone, ct);
        var regions = await report.RegionsAsync(db, ct);
        var filters = ReportFile.Describe(regions.Filter,
            ("专项清理", campaign is null ? "全部" : $"{campaign.Name}（{campaign.StartsOn:yyyy-MM-dd} 至 {campaign.EndsOn:yyyy-MM-dd}）"));
        return await report.BuildAsync("recovery-rates", async w =>
        {
            regions.Sheet(w, report, "违规公务用车收回率", filters, ["认定", "已收回", "已撤销", "未办结"],
                rates.Units.Select(u => (u.UnitId, new long[] { u.Identified, u.Recovered, u.Cancelled, u.Outstanding })),
                ("收回率", v => RecoveryRates.Rate((int)v[1], (int)v[0], (int)v[2])));
            report.StartSheet(w, "收回率", "违规公务用车收回率", filters,
            [
                new("单位代码", 10), new("单位名称", 14), new("认定", 7), new("已收回", 7), new("已撤销", 7), new("未办结", 7), new("收回率", 9),
            ]);
            foreach (var u in rates.Units)
                Row(w, u.UnitCode, u.UnitName, u.Identified, u.Recovered, u.Cancelled, u.Outstanding, u.Rate, total: false);
            w.EndTable();
            Row(w, "合计", null, rates.Identified, rates.Recovered, rates.Cancelled, rates.Outstanding, rates.Rate, total: true);

            report.RateChart(w, "图表", "各单位收回率", filters, "收回率", rates.Units.Select(u => (u.UnitName, u.Rate)));

            await CasesSheetAsync(w, cases, filters, db, report, ct);
        });
    }

    /// <summary>Every case, in the order opened.</summary>
    private static async Task CasesSheetAsync(XlsxWriter w, IQueryable<RecoveryCase> cases, string filters, FleetDbContext db, ReportFile report, CancellationToken ct)
    {
        report.StartSheet(w, "案件", "追缴案件明细", filters,
        [
            new("专项清理", 12, 30), new("车牌", 10), new("单位代码", 10), new("单位名称", 14), new("认定原因", 10),
            new("期限", 11), new("状态", 8), new("逾期", 6), new("收回日期", 11), new("处置方式", 10), new("撤销原因", 10, 30),
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
            w.Text(Labels.Of(r.Reason));
            w.Date(r.DueOn);
            w.Text(Labels.Of(r.Status));
            w.Text(Labels.YesNo(r.PastDue));
            w.Date(r.RecoveredOn);
            w.Text(r.Disposition is { } d ? Labels.Of(d) : null);
            w.Text(r.CancelReason);
        }, ct);
    }

    private static void Row(XlsxWriter w, string code, string? name, int identified, int recovered, int cancelled, int outstanding, decimal? rate, bool total)
    {
        var number = total ? CellStyle.TotalInteger : CellStyle.Integer;
        w.StartRow();
        w.Text(code, total ? CellStyle.Label : CellStyle.Text);
        w.Text(name);
        w.Number((long)identified, number);
        w.Number((long)recovered, number);
        w.Number((long)cancelled, number);
        w.Number((long)outstanding, number);
        // No rate when nothing counts: an empty cell, never a text in a column of numbers.
        w.Number(rate, total ? CellStyle.TotalPercent : CellStyle.Percent);
    }
}
