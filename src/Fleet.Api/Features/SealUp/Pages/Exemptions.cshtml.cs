using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SealUp.Pages;

/// <summary>
/// Exemption requests, read as GET /api/exemptions reads them (a VehicleAdmin: their unit's), oldest waiting first;
/// 批准 / 驳回 through SealUpRules.DecideAsync for the roles its endpoints allow (Admin, Inspector).
/// </summary>
public sealed class ExemptionsModel(ExemptionQueries queries, SealUpRules rules, LocalTime local) : WorkspacePage
{
    /// <summary>Empty means 待审批 (what waits); "all" shows every status.</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    /// <summary>?page= read by hand: "page" is also the route value naming the page, which binding would take first.</summary>
    public int? PageNumber => ListArgs.Number(Request.Query["page"]);

    public IReadOnlyList<ExemptionRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public bool MayDecide => Caller.Role is Role.Admin or Role.Inspector;
    public ExemptionStatus? Shown => string.IsNullOrEmpty(Status) ? ExemptionStatus.Requested : Lists.Parse<ExemptionStatus>(Status);

    public async Task OnGetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, string? note, CancellationToken ct) => DecideAsync(id, approve: true, note, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid id, string? note, CancellationToken ct) => DecideAsync(id, approve: false, note, ct);

    private async Task<IActionResult> DecideAsync(Guid id, bool approve, string? note, CancellationToken ct)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note;
        // The note is checked by the rule, as for the endpoint.
        if (Done(await rules.DecideAsync(Caller, id, approve, note, ct), ""))
            return Back(approve ? "已批准豁免申请。" : "已驳回豁免申请。", ListUrl);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var page = await queries.ListAsync(Caller, new ExemptionFilter(Shown), Lists.Args(Request).PageShown(), ct);
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
    }

    /// <summary>Back to the list as it was filtered (not to the handler's address).</summary>
    private string ListUrl => "/sealup/exemptions" + Query(null);

    /// <summary>A decision's address keeps the list's filter and page, so the redirect comes back to them.</summary>
    public string HandlerUrl(string handler) => "/sealup/exemptions" + Query(handler);

    private QueryString Query(string? handler) => QueryString.Create(
        new[] { ("handler", handler), ("status", Status), ("page", PageNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => KeyValuePair.Create(p.Item1, p.Item2)));

    public string When(DateTime utc) => local.Local(utc);
}
