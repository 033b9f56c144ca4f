using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// Every list table of the workspace is also a list of cards on a phone (fleet.css, at 480 px and below): each cell of its
/// body carries its column's heading (<c>data-label</c>), the plate (or the first column) is the card's title
/// (<c>data-role="key"</c>) and the 操作 column its actions, shown right under the title (<c>data-role="act"</c>), so
/// nothing needs sideways scrolling. Tables without a heading row (a record's details) are left as they are.
/// </summary>
[HtmlTargetElement("table")]
public sealed partial class CardTableTagHelper : TagHelper
{
    private static readonly string[] KeyColumns = ["车牌号", "号牌"];
    private static readonly string[] ActionColumns = ["操作"];

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var html = (await output.GetChildContentAsync()).GetContent();
        var head = THead().Match(html);
        if (!head.Success) return;
        var labels = Th().Matches(head.Value).Select(m => WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value, "")).Trim()).ToArray();
        if (labels.Length == 0) return;
        var key = Array.FindIndex(labels, l => KeyColumns.Contains(l));
        if (key < 0) key = 0;
        var body = new StringBuilder(html.Length + 64 * labels.Length);
        body.Append(html, 0, head.Index + head.Length);
        var rest = html[(head.Index + head.Length)..];
        body.Append(Tr().Replace(rest, row => Label(row.Value, labels, key)));
        output.Content.SetHtmlContent(body.ToString());
        var classes = output.Attributes["class"]?.Value?.ToString();
        output.Attributes.SetAttribute("class", string.IsNullOrEmpty(classes) ? "cards" : classes + " cards");
    }

    /// <summary>Each cell of the row gets its column's heading and role; a row with a spanning cell (暂无记录) is left alone.</summary>
    private static string Label(string row, string[] labels, int key)
    {
        if (row.Contains("colspan=", StringComparison.Ordinal)) return row;
        var column = 0;
        return Td().Replace(row, cell =>
        {
            var i = column++;
            if (i >= labels.Length) return cell.Value;
            var role = i == key ? " data-role=\"key\"" : ActionColumns.Contains(labels[i]) ? " data-role=\"act\"" : "";
            // An empty cell (no badge, no action) is left out of the card rather than shown as a bare label.
            var empty = string.IsNullOrWhiteSpace(cell.Groups[1].Value) ? " data-empty" : "";
            return $"<td data-label=\"{WebUtility.HtmlEncode(labels[i])}\"{role}{empty}" + cell.Value[3..];
        });
    }

    [GeneratedRegex("<thead\\b.*?</thead>", RegexOptions.Singleline)]
    private static partial Regex THead();
    [GeneratedRegex("<th\\b[^>]*>(.*?)</th>", RegexOptions.Singleline)]
    private static partial Regex Th();
    [GeneratedRegex("<tr\\b.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Tr();
    [GeneratedRegex("<td(?=[\\s>])[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Td();
    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
