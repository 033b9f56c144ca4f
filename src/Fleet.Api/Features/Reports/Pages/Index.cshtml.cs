using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Reports.Pages;

/// <summary>
/// The four reports with their filters (those of /api/reports/*.xlsx, chosen from lists): 下载 checks the dates here,
/// in Chinese, then sends the browser to the API's workbook, which the signed-in session may GET.
/// </summary>
[Authorize(Roles = "Admin,Inspector,Auditor")]
public sealed class IndexModel(FleetDbContext db, LocalTime local) : WorkspacePage
{
    public static readonly Dictionary<string, string> Files = new()
    {
        ["recovery-rates"] = "/api/reports/recovery-rates.xlsx",
        ["violations"] = "/api/reports/violations.xlsx",
        ["spot-checks"] = "/api/reports/spot-checks.xlsx",
        ["sealup-compliance"] = "/api/reports/sealup-compliance.xlsx",
    };

    [BindProperty(SupportsGet = true)] public string? Download { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? CampaignId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ScheduleId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public ViolationType? Type { get; set; }
    [BindProperty(SupportsGet = true)] public ViolationStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public List<(Guid Id, string Label)> Campaigns { get; private set; } = [];
    public List<(Guid Id, string Label)> Schedules { get; private set; } = [];
    public List<(Guid Id, string Label)> Units { get; private set; } = [];

    /// <summary>A report in the monthly archive, as listed: what it is, for which month, and its fingerprint.</summary>
    public sealed record ArchivedRow(Guid Id, string Month, string Title, string FileName, string Sha256, long Size, DateTime CreatedAt);

    public List<ArchivedRow> Archived { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        Lists.DatesOnly(ModelState);
        if (Download is not null && Files.TryGetValue(Download, out var file) && ModelState.IsValid)
        {
            // The endpoints' own checks of these filters, shown in Chinese.
            foreach (var (field, text) in local.ParseRange(Day(From), Day(To)).Errors ?? [])
                ModelState.AddModelError(field, Chinese.Of(text));
            if (Download == "sealup-compliance" && SealUpComplianceReport.Unnamed(ScheduleId) is { } unnamed) Done<string>(unnamed, "");
            if (ModelState.IsValid) return Redirect(file + Query(Download));
        }
        var ct = HttpContext.RequestAborted;
        Campaigns = (await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartsOn).Select(c => new { c.Id, c.Name, c.StartsOn }).ToListAsync(ct))
            .Select(c => (c.Id, $"{c.Name}（{c.StartsOn:yyyy-MM-dd} 起）")).ToList();
        Schedules = (await db.SealUpSchedules.AsNoTracking().Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, s.SealDeadline, h.Name })
            .OrderByDescending(s => s.SealDeadline).Take(200).ToListAsync(ct))
            .Select(s => (s.Id, $"{s.Name}（封存时限 {local.ToLocal(s.SealDeadline):yyyy-MM-dd HH:mm}）")).ToList();
        Units = (await db.Units.AsNoTracking().OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name }).ToListAsync(ct))
            .Select(u => (u.Id, $"{u.Code} {u.Name}")).ToList();
        // The archive of the last twelve closed months, newest first.
        var archived = await db.ArchivedReports.AsNoTracking().OrderByDescending(a => a.Month).ThenBy(a => a.Report).ThenBy(a => a.Subject).Take(200).ToListAsync(ct);
        var holidays = Schedules.ToDictionary(s => s.Id.ToString(), s => s.Label);
        var cutoff = archived.Count == 0 ? "" : MonthsBefore(archived[0].Month, 12);
        Archived = archived.Where(a => string.CompareOrdinal(a.Month, cutoff) > 0)
            .Select(a => new ArchivedRow(a.Id, a.Month, ReportFile.Title(a.Report) + (a.Subject.Length > 0 ? "：" + holidays.GetValueOrDefault(a.Subject, "封存安排") : ""),
                a.FileName, a.Sha256, a.Size, local.ToLocal(a.CreatedAt))).ToList();
        return Page();
    }

    private static string? Day(DateOnly? day) => day is { } d ? Lists.Day(d) : null;

    private static string MonthsBefore(string month, int months) =>
        DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(-months)
            .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The filters each report takes, as its endpoint names them.</summary>
    private string Query(string report)
    {
        var q = new Dictionary<string, string?>();
        switch (report)
        {
            case "recovery-rates": q["campaignId"] = CampaignId?.ToString(); break;
            case "sealup-compliance": q["scheduleId"] = ScheduleId?.ToString(); break;
            default:
                q["unitId"] = UnitId?.ToString();
                q["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                q["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                if (report == "violations")
                {
                    q["type"] = Type?.ToString();
                    q["status"] = Status?.ToString();
                }
                break;
        }
        return QueryString.Create(q.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
    }
}
