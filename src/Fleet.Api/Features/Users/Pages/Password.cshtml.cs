using System.Security.Claims;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Users.Pages;

/// <summary>Change one's own password through the same rule as POST /api/me/password; this session goes on, the others end.</summary>
public sealed class PasswordModel(AccountRules accounts) : WorkspacePage
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword)
    {
        if (string.IsNullOrEmpty(currentPassword)) ModelState.AddModelError("currentPassword", "请输入当前密码。");
        if (string.IsNullOrEmpty(newPassword)) ModelState.AddModelError("newPassword", "请输入新密码。");
        if (!ModelState.IsValid) return Page();
        var outcome = await accounts.ChangeOwnPasswordAsync(Caller, currentPassword!, newPassword!, HttpContext.RequestAborted);
        if (!Done(outcome, "")) return Page();
        // The new stamp ends every earlier token and session; this one is renewed with it.
        await HttpContext.SignInAsync(Infrastructure.Auth.CookieScheme, new ClaimsPrincipal(Infrastructure.Auth.Identity(outcome.Value!, Infrastructure.Auth.CookieScheme)));
        return Back("密码已修改。", "/");
    }
}
