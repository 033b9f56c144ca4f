using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Users.Pages;

/// <summary>
/// An account's name, phone, role, unit and state (PUT /api/users/{id}), and a new password set by the Admin
/// (POST /api/users/{id}/password). The rule refuses to deactivate or demote oneself or the last Admin.
/// </summary>
[Authorize(Roles = "Admin")]
public sealed class EditModel(FleetDbContext db, AccountRules accounts, IValidator<UserEndpoints.UpdateRequest> validator,
    IValidator<UserEndpoints.ResetRequest> resetValidator) : WorkspacePage
{
    public sealed class Form
    {
        public string? DisplayName { get; set; }
        public string? Phone { get; set; }
        public Role? Role { get; set; }
        public Guid? UnitId { get; set; }
        public bool? Active { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public User? Account { get; private set; }
    public List<(Guid Id, string Label)> Units { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        Input = new() { DisplayName = Account!.DisplayName, Phone = Account.Phone, Role = Account.Role, UnitId = Account.UnitId, Active = !Account.Disabled };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var unitId = Input.Role == Role.VehicleAdmin ? Input.UnitId : null;
        var request = new UserEndpoints.UpdateRequest(Input.DisplayName, Input.Phone, Input.Role, unitId, Input.Active);
        if (ModelState.IsValid && await ValidAsync(validator, request))
        {
            var change = new AccountChange(request.DisplayName, request.Phone, request.Role!.Value, unitId, request.Active!.Value);
            if (Done(await accounts.UpdateAsync(Caller, id, change, HttpContext.RequestAborted)))
                return Back("已保存用户信息。", $"/users/{id}");
        }
        return await LoadAsync(id) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostResetAsync(Guid id, string? newPassword)
    {
        var request = new UserEndpoints.ResetRequest(newPassword);
        if (await ValidAsync(resetValidator, request, "") && Done(await accounts.ResetPasswordAsync(Caller, id, newPassword!, HttpContext.RequestAborted), ""))
            return Back("已重置密码：该用户此前的登录均已失效，请把新密码告知本人。", $"/users/{id}");
        if (!await LoadAsync(id)) return NotFound();
        Input = new() { DisplayName = Account!.DisplayName, Phone = Account.Phone, Role = Account.Role, UnitId = Account.UnitId, Active = !Account.Disabled };
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        Account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, HttpContext.RequestAborted);
        Units = await NewModel.UnitOptionsAsync(db, HttpContext.RequestAborted);
        return Account is not null;
    }
}
