using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Users.Pages;

/// <summary>A new account, through the same validator and rule as POST /api/users.</summary>
[Authorize(Roles = "Admin")]
public sealed class NewModel(FleetDbContext db, AccountRules accounts, IValidator<UserEndpoints.CreateRequest> validator) : WorkspacePage
{
    public sealed class Form
    {
        public string? Username { get; set; }
        public string? Password { get; set; }
        public Role? Role { get; set; }
        public Guid? UnitId { get; set; }
        public string? DisplayName { get; set; }
        public string? Phone { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public List<(Guid Id, string Label)> Units { get; private set; } = [];

    public async Task OnGetAsync() => Units = await UnitOptionsAsync(db, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        // The unit belongs to a unit's vehicle administrator only: for another role the select is ignored.
        var unitId = Input.Role == Role.VehicleAdmin ? Input.UnitId : null;
        var request = new UserEndpoints.CreateRequest(Input.Username?.Trim(), Input.Password, Input.Role, unitId, Input.DisplayName, Input.Phone);
        if (ModelState.IsValid && await ValidAsync(validator, request))
        {
            var account = new NewAccount(request.Username!, request.Password!, request.Role!.Value, unitId, request.DisplayName, request.Phone);
            if (Done(await accounts.CreateAsync(Caller, account, HttpContext.RequestAborted)))
                return Back($"已新建用户 {request.Username}。", "/users");
        }
        Units = await UnitOptionsAsync(db, HttpContext.RequestAborted);
        return Page();
    }

    public static async Task<List<(Guid, string)>> UnitOptionsAsync(FleetDbContext db, CancellationToken ct) =>
        (await db.Units.AsNoTracking().OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name }).ToListAsync(ct))
            .Select(u => (u.Id, $"{u.Code} {u.Name}")).ToList();
}
