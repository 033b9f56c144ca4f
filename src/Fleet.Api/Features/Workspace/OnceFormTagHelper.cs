using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// Every form the workspace posts is sent once: it carries a fresh idempotency key, new at each rendering (so a form shown
/// again with its errors is a new submission), and <c>data-once</c>, by which fleet.js lets its button be pressed once.
/// The server keeps one record per key (<see cref="IdempotentWrites"/>), also when the script does not run.
/// </summary>
[HtmlTargetElement("form", Attributes = "method")]
public sealed class OnceFormTagHelper : TagHelper
{
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!string.Equals(output.Attributes["method"]?.Value?.ToString(), "post", StringComparison.OrdinalIgnoreCase)) return;
        output.Attributes.SetAttribute("data-once", "");
        output.PostContent.AppendHtml($"<input type=\"hidden\" name=\"{IdempotentWrites.FormField}\" value=\"{Guid.NewGuid():N}\">");
    }
}
