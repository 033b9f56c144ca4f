using System.Text.Json;
using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Vehicles.Pages;

/// <summary>The workbook import of POST /api/vehicles/import, with its row errors shown against their rows.</summary>
[Authorize(Roles = "Admin,VehicleAdmin")]
// The upload may be as large as the import allows at most; the import itself refuses beyond the configured limit.
[RequestSizeLimit(UploadCeiling), RequestFormLimits(MultipartBodyLengthLimit = UploadCeiling)]
public sealed class ImportModel(FleetDbContext db, IValidator<VehicleRequest> validator, VehicleRules rules, IOptions<ImportLimits> limits) : ImportPage
{
    private const long UploadCeiling = 64L * 1024 * 1024;

    public bool DryRun { get; private set; } = true;

    public void OnGet()
    {
    }

    /// <summary>The violations the registration check opened for the cars just imported, by type: said with the count, not left unsaid.</summary>
    private static string Opened(IReadOnlyDictionary<ViolationType, int> opened) => opened.Count == 0 ? "" :
        $"；同时开具违规 {opened.Values.Sum()} 起：{string.Join("、", opened.OrderBy(o => o.Key).Select(o => $"{Labels.Of(o.Key)} {o.Value} 起"))}（见违规列表）";

    public async Task<IActionResult> OnPostAsync(IFormFile? file, bool dryRun)
    {
        DryRun = dryRun;
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "请选择要上传的 .xlsx 文件。");
            return Page();
        }
        // The endpoint itself: the same limits, checks and transaction as the API's import.
        var result = await ImportVehicles.Import(file, dryRun, HttpContext.Request, User, db, validator, rules, limits, HttpContext.RequestAborted);
        switch (result.Result)
        {
            case Ok<ImportVehicles.ImportResult> { Value.DryRun: true } ok:
                return Back($"检查通过：{ok.Value.Imported} 辆车都可以导入。取消“只检查”再上传一次即导入。", "/vehicles/import");
            case Ok<ImportVehicles.ImportResult> ok:
                return Back($"已导入 {ok.Value!.Imported} 辆车{Opened(ok.Value.Opened)}。", "/vehicles");
            default:
                return Refused(result.Result, "工作簿中有问题的行，见下表；整份文件未导入。");
        }
    }
}
