using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Usage.Pages;

/// <summary>The file import of POST /api/usage/import, with its row errors shown against their rows.</summary>
[Authorize(Roles = "Admin,Inspector")]
// The upload may be as large as the import allows by default; the import itself refuses beyond the configured limit.
[RequestSizeLimit(UploadCeiling), RequestFormLimits(MultipartBodyLengthLimit = UploadCeiling)]
public sealed class ImportModel(UsageRules rules, IOptions<UsageLimits> limits, LocalTime local, TimeProvider clock) : ImportPage
{
    private const long UploadCeiling = 513L * 1024 * 1024;

    [BindProperty] public string? Kind { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (Lists.Parse<UsageKind>(Kind) is null)
        {
            ModelState.AddModelError(nameof(Kind), "请选择记录类型。");
            return Page();
        }
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "请选择要上传的 .xlsx 或 .csv 文件。");
            return Page();
        }
        // The endpoint itself: the same limits, checks, transaction and cross-check as the API's import.
        var result = await UsageEndpoints.Import(file, Kind, HttpContext.Request, User, rules, limits, local, clock, HttpContext.RequestAborted);
        switch (result.Result)
        {
            case Ok<UsageEndpoints.ImportResult> ok:
                var done = ok.Value!;
                return Back($"已导入 {done.Imported} 条记录" + (done.Duplicates > 0 ? $"，{done.Duplicates} 条此前已导入（不重复计入）" : "") +
                    (done.ViolationsOpened > 0 ? $"；与封存比对后新生成 {done.ViolationsOpened} 起违规。" : "；比对未生成新的违规。"),
                    done.ViolationsOpened > 0 ? "/violations?source=UsageCheck&status=Open" : "/usage");
            default:
                return Refused(result.Result, "文件中有问题的行，见下表；整份文件未导入。");
        }
    }
}
