using System.Security.Claims;
using Fleet.Api.Features.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fleet.Api.Features.Workspace;

/// <summary>Sign-in for the pages: the same throttled check as the API's token, ending in a session cookie.</summary>
[AllowAnonymous]
public sealed class LoginModel(FleetDbContext db, IPasswordHasher<User> hasher, SignInThrottle throttle, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Why the person was signed out, when a change to their account ended their session (Auth's session check).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Why { get; set; }

    public string? SignedOutBecause => Why switch
    {
        Infrastructure.Auth.EndedByDeactivation => "您已退出登录：您的账号已被停用。如需恢复，请联系系统管理员。",
        Infrastructure.Auth.EndedByPassword => "您已退出登录：您的密码已被更改（例如管理员为您重置了密码）。请用新密码登录。",
        Infrastructure.Auth.EndedByChange => "您已退出登录：您的角色、所属单位或工作区域已变更。请重新登录，以新的权限继续。",
        _ => null,
    };

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password) || Username.Length > 64 || Password.Length > 256)
        {
            ModelState.AddModelError("", "请输入用户名和密码。");
            return Page();
        }
        var attempt = await Auth.SignIn.AttemptAsync(Username, Password, HttpContext, db, hasher, throttle, clock, HttpContext.RequestAborted);
        if (attempt.RetryAfter is { } wait)
        {
            ModelState.AddModelError("", $"登录失败次数过多，请 {Math.Max(1, (wait + 59) / 60)} 分钟后再试。");
            return Page();
        }
        if (attempt.Deactivated)
        {
            ModelState.AddModelError("", "该账号已停用，不能登录。如需恢复，请联系系统管理员。");
            return Page();
        }
        if (attempt.User is not { } user)
        {
            ModelState.AddModelError("", "用户名或密码错误。");
            return Page();
        }
        await HttpContext.SignInAsync(Infrastructure.Auth.CookieScheme, new ClaimsPrincipal(Infrastructure.Auth.Identity(user, Infrastructure.Auth.CookieScheme)));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
