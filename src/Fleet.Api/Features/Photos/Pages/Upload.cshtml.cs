using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Photos.Pages;

/// <summary>
/// The pages' photo upload: the same rule as POST /api/evidence with the signed-in caller, then back to the record's
/// page with what happened. The store checks the size while copying; this only bounds the request.
/// </summary>
[Authorize(Roles = "Admin,VehicleAdmin,Inspector")]
[RequestSizeLimit(16 * 1024 * 1024)]
public sealed class UploadModel(EvidenceRules rules) : WorkspacePage
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, EvidenceSubject subjectType, Guid subjectId, string? returnUrl, CancellationToken ct)
    {
        var back = returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl + "#photos" : "/";
        if (file is not { Length: > 0 }) return Back("未上传：请选择一张照片。", back);
        await using var stream = file.OpenReadStream();
        var outcome = await rules.UploadAsync(Caller, subjectType, subjectId, stream, ct);
        return outcome.Refusal is { } refused
            ? Back("未上传：" + Chinese.Of(refused), back)
            : Back($"照片已上传（第 {outcome.Value!.Number} 张）。", back);
    }
}
