using Fleet.Api.Features.Workspace;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Users.Pages;

/// <summary>The accounts, by username, with their unit's name; filters by role and state.</summary>
[Authorize(Roles = "Admin")]
public sealed class IndexModel(FleetDbContext db) : WorkspacePage
{
    public const int PageSize = 50;

    public sealed record Row(Guid Id, string Username, string? DisplayName, Role Role, string? UnitName, bool Active, DateTime? LastSignInAt);

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public Role? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool? Active { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync()
    {
        ModelState.Clear(); // a filter that does not parse (a hand-edited URL) is left out
        var users = db.Users.AsNoTracking();
        if (Role is not null) users = users.Where(u => u.Role == Role);
        if (Active is not null) users = users.Where(u => u.Disabled != Active);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            users = users.Where(u => u.Username.Contains(q) || (u.DisplayName != null && u.DisplayName.Contains(q)));
        }
        var ct = HttpContext.RequestAborted;
        Total = await users.CountAsync(ct);
        PageNumber = Math.Max(1, PageNumber);
        Rows = await users.OrderBy(u => u.Username).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(u => new Row(u.Id, u.Username, u.DisplayName, u.Role, db.Units.Where(x => x.Id == u.UnitId).Select(x => x.Name).FirstOrDefault(),
                !u.Disabled, u.LastSignInAt))
            .ToListAsync(ct);
    }

    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["role"] = Role?.ToString(),
        ["active"] = Active?.ToString().ToLowerInvariant(),
        ["q"] = Q,
        ["page"] = page.ToString(),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
}
