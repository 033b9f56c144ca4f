using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Users.Pages;

/// <summary>The accounts, by username, with their unit's name; filters by role and state.</summary>
[Authorize(Roles = "Admin")]
public sealed class IndexModel(UserQueries queries) : WorkspacePage
{
    public const int PageSize = Lists.Size;

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public Role? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool? Active { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<UserRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync()
    {
        ModelState.Clear(); // a filter that does not parse (a hand-edited URL) is left out
        var page = await queries.ListAsync(Caller, new UserFilter(Role, Active, Q), Lists.Args(Request).PageShown(lastIfBeyond: false), HttpContext.RequestAborted);
        (Rows, Total, PageNumber) = (page.Items, page.Total, page.Page);
    }

    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["role"] = Role?.ToString(),
        ["active"] = Active?.ToString().ToLowerInvariant(),
        ["q"] = Q,
        ["page"] = page.ToString(),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
}
