using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fleet.Api.Features.Workspace;

/// <summary>What a person sees instead of a bare status: a page that is not there, or a record outside their scope.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [BindProperty(SupportsGet = true)] public int Code { get; set; }

    public string Title => Code switch { 404 => "未找到", 403 => "无权访问", 400 => "请求有误", 409 => "正在处理", 422 => "重复提交", _ => "出错了" };

    public string Explanation => Code switch
    {
        404 => "没有这个页面或记录，或者它不在您的权限范围内。",
        403 => "您的角色不能使用这个页面。",
        400 => "提交的内容无法处理，请返回重试。",
        409 => "这份表单刚才已经提交，仍在处理中；请稍后到列表中查看结果，不要重复提交。",
        422 => "这份表单已经提交过，这次的内容与上次不同；请返回，刷新页面后重新填写。",
        _ => "请稍后重试；如果一再出现，请联系系统管理员。",
    };

    // Keeps the original status (404 stays 404) while showing the page.
    public IActionResult OnGet() => Page();

    public IActionResult OnPost() => Page();
}
