using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Violations.Pages;

/// <summary>One violation: its facts, the actions against persons, and (Inspector) 整改完成 / 撤销 through ViolationRules.</summary>
public sealed class DetailModel(FleetDbContext db, ViolationQueries queries, ViolationRules rules, IValidator<ViolationActions.ActionRequest> actionValidator,
    IValidator<ViolationActions.CloseRequest> closeValidator, LocalTime local) : WorkspacePage
{
    public Violation Violation { get; private set; } = null!;
    public string Unit { get; private set; } = "";
    public IReadOnlyList<PersonAction> Actions { get; private set; } = [];
    /// <summary>The usage records the usage check listed as this violation's evidence (first 200, by time).</summary>
    public List<UsageRecord> Usage { get; private set; } = [];
    public int UsageCount { get; private set; }
    /// <summary>Why it was closed, as people read it (the records a system reason refers to named, not their ids).</summary>
    public string? CloseReason { get; private set; }
    public bool MayAct => Caller.Role == Role.Inspector;

    [BindProperty] public ViolationActions.ActionRequest Action { get; set; } = new(null, null, null, null);
    [BindProperty] public ViolationActions.CloseRequest Close { get; set; } = new(null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostActionAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (await ValidAsync(actionValidator, Action, "Action") &&
            Done((await rules.AddActionAsync(Caller, id, new PersonActionInput(Action.PersonName!, Action.Position!, Action.Action!.Value, Action.Note), ct))
                , "Action"))
            return Back($"已登记处理：{Action.PersonName!.Trim()} {Labels.Of(Action.Action!.Value)}。", $"/violations/{id}");
        return Page();
    }

    public Task<IActionResult> OnPostResolveAsync(Guid id, CancellationToken ct) => CloseAsync(id, ViolationStatus.Resolved, ct);

    public Task<IActionResult> OnPostDismissAsync(Guid id, CancellationToken ct) => CloseAsync(id, ViolationStatus.Dismissed, ct);

    private async Task<IActionResult> CloseAsync(Guid id, ViolationStatus to, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (await ValidAsync(closeValidator, Close, "Close") &&
            Done((await rules.CloseAsync(Caller, id, to, Close.Reason!, ct)), "Close"))
            return Back(to == ViolationStatus.Resolved ? "已确认整改完成。" : "已撤销该违规。", $"/violations/{id}");
        return Page();
    }

    /// <summary>The violation as the caller may see it (the same scope as GET /api/violations/{id}).</summary>
    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await queries.FindAsync(Caller, id, ct) is not { } found) return false;
        (Violation, Unit, Actions) = (found.Violation, found.Unit, found.Actions);
        if (Violation.CloseReason is { } reason)
            CloseReason = Chinese.Recorded(reason, await RecordNames.OfAsync(db, local, RecordNames.IdsIn(reason), ct));
        if (Violation.Source == ViolationSource.UsageCheck)
        {
            // From the violation's links to their records (a join: the database starts from the links).
            var listed = from l in db.ViolationUsages.Where(l => l.ViolationId == id) join u in db.UsageRecords.AsNoTracking() on l.UsageRecordId equals u.Id select u;
            UsageCount = await listed.CountAsync(ct);
            Usage = await listed.OrderBy(u => u.StartedAt).Take(200).ToListAsync(ct);
        }
        return true;
    }
}
