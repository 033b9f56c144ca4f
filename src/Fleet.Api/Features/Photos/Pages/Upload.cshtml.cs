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
        // The way back says what happened in its address too (?photo=<id> or ?photo=refused), which a resend answered
        // again from its Idempotency-Key keeps (the notice is the first answer's): the phone's outbox reads it.
        string Back(string outcome) => returnUrl is not null && Url.IsLocalUrl(returnUrl) && !returnUrl.Contains('#')
            ? returnUrl + (returnUrl.Contains('?') ? "&" : "?") + "photo=" + outcome + "#photos" : "/";
        if (file is not { Length: > 0 }) return this.Back("未上传：请选择一张照片。", Back("refused"));
        await using var stream = file.OpenReadStream();
        var outcome = await rules.UploadAsync(Caller, subjectType, subjectId, stream, ct);
        return outcome.Refusal is { } refused
            ? this.Back("未上传：" + Chinese.Of(refused), Back("refused"))
            : this.Back($"照片已上传（第 {outcome.Value!.Number} 张）。", Back(outcome.Value.Id.ToString()));
    }
}
