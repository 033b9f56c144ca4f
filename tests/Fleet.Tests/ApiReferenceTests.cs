using System.Text.RegularExpressions;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>docs/api.md is the contract clients are written against; it and the OpenAPI document must name the same routes.</summary>
public partial class ApiReferenceTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{

    /// <summary>Every `METHOD /path` in the reference (and a sibling written as "and `/reject`"), without the planned ones.</summary>
    private static HashSet<string> Documented()
    {
        var routes = new HashSet<string>();
        foreach (var line in File.ReadLines(Path.Combine(Repository.Root, "docs", "api.md")))
        {
            (string Method, string Path)? previous = null;
            foreach (Match m in Code().Matches(line))
            {
                var text = m.Groups["text"].Value;
                var planned = line[..m.Index].TrimEnd().EndsWith("(planned)", StringComparison.Ordinal);
                var route = Route().Match(text);
                if (route.Success)
                {
                    previous = (route.Groups["method"].Value, route.Groups["path"].Value.Split('?')[0].TrimEnd('/'));
                    if (!planned) routes.Add($"{previous.Value.Method} {previous.Value.Path}");
                }
                else if (previous is { } p && Sibling().IsMatch(text) && !planned && line[..m.Index].EndsWith(" and ", StringComparison.Ordinal))
                {
                    routes.Add($"{p.Method} {p.Path[..p.Path.LastIndexOf('/')]}{text}");
                }
            }
        }
        return routes;
    }

    [Fact]
    public async Task The_reference_and_the_served_document_name_the_same_routes()
    {
        var document = await fleet.As(As.Anonymous).GetJson("/openapi/v1.json");
        var served = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .ToHashSet();
        var documented = Documented();
        documented.Remove("GET /openapi/v1.json"); // the document itself
        Assert.True(documented.Count > 50);
        Assert.True(served.SetEquals(served.Intersect(documented)), "Served but not in docs/api.md: " + string.Join(", ", served.Except(documented).Order()));
        Assert.True(documented.SetEquals(documented.Intersect(served)), "In docs/api.md but not served: " + string.Join(", ", documented.Except(served).Order()));
    }

    [GeneratedRegex("`(?<text>[^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/\S+)$")]
    private static partial Regex Route();

    [GeneratedRegex(@"^/[a-z-]+$")]
    private static partial Regex Sibling();
}
