using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Workspace;

/// <summary>A page that uploads a file to an import endpoint: the endpoint's refusals shown in Chinese, bad rows as a table.</summary>
public abstract class ImportPage : WorkspacePage
{
    public List<RowError> RowErrors { get; private set; } = [];
    public int ErrorCount { get; private set; }

    /// <summary>The endpoint's refusal on this page: its field's messages against the field; bad rows under <see cref="RowErrors"/>.</summary>
    protected IActionResult Refused(IResult result, string badRows)
    {
        switch (result)
        {
            case ValidationProblem invalid:
                foreach (var (field, text) in Problems.TextsOf(invalid.ProblemDetails)?.Fields ?? [])
                    ModelState.AddModelError(field, Chinese.Of(text));
                break;
            case ProblemHttpResult problem when problem.ProblemDetails.Extensions.TryGetValue("rowErrors", out var rows) && rows is IEnumerable<RowError> list:
                RowErrors = list.ToList();
                ErrorCount = problem.ProblemDetails.Extensions["errorCount"] is int count ? count : RowErrors.Count;
                ModelState.AddModelError("file", badRows);
                break;
            case ProblemHttpResult problem:
                ModelState.AddModelError("file", Problems.TextsOf(problem.ProblemDetails) is { } said ? Chinese.Of(said.Text) : "上传失败。");
                break;
        }
        return Page();
    }
}
