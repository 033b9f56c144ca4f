using System.Reflection;
using Microsoft.AspNetCore.Razor.Hosting;
using NetArchTest.Rules;

namespace Fleet.Tests;

/// <summary>
/// The layout style.md describes, checked over Fleet.Api's compiled types: Infrastructure is plumbing that names no
/// feature, an area's pages are its own (what several areas' pages share lives in the Workspace area), and rules are
/// plain methods that never see HTTP.
/// </summary>
public class LayerTests
{
    private static readonly Assembly Api = typeof(Program).Assembly;
    private const string Features = "Fleet.Api.Features";

    [Fact]
    public void Infrastructure_names_no_feature()
    {
        var result = Types.InAssembly(Api)
            .That().ResideInNamespace("Fleet.Api.Infrastructure")
            .ShouldNot().HaveDependencyOnAny(Features, "Fleet.Api.Demo")
            .GetResult();

        Assert.True(result.IsSuccessful, "Infrastructure types that name a feature or the demo: " + Names(result.FailingTypes));
    }

    [Fact]
    public void No_area_uses_another_areas_pages()
    {
        var offenders = new List<string>();
        var seenViews = 0;
        foreach (var area in Areas())
        {
            var pages = $"{Features}.{area}.Pages";
            // Every type (C# or a compiled view) that names the area's page types, kept when it belongs to another area.
            var users = Types.InAssembly(Api).That().HaveDependencyOn(pages).GetTypes().ToList();
            seenViews += users.Count(t => Views.ContainsKey(t));
            offenders.AddRange(users.Where(t => AreaOf(t) != area).Select(t => $"{Describe(t)} uses {pages}"));
        }

        // Not vacuous: the pages' own views (@model ...Pages.IndexModel) are seen depending on their area's pages.
        Assert.True(seenViews > 0, "No compiled view was seen depending on an area's pages: the check does not reach the views.");
        Assert.True(offenders.Count == 0, "Types that use another area's pages:\n" + string.Join("\n", offenders.Distinct().Order()));
    }

    /// <summary>
    /// Views name partials by path, which the compiled types do not show: the sources are read. A partial of another
    /// area's Pages folder is that area's page; the home page's sections are registered in Features/Modules.cs instead.
    /// </summary>
    [Fact]
    public void No_view_names_a_partial_of_another_areas_pages()
    {
        var features = Path.Combine(Fleet.Tests.Support.Repository.Root, "src", "Fleet.Api", "Features");
        var views = Directory.EnumerateFiles(features, "*.cshtml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(views);
        var offenders = new List<string>();
        foreach (var view in views)
        {
            var area = Path.GetRelativePath(features, view).Split(Path.DirectorySeparatorChar)[0];
            foreach (System.Text.RegularExpressions.Match named in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(view), @"/Features/(\w+)/Pages/"))
                if (named.Groups[1].Value != area) offenders.Add($"{Path.GetRelativePath(features, view)} names {named.Value}");
        }
        Assert.True(offenders.Count == 0, "Views that name another area's pages:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Rules_do_not_touch_http()
    {
        var result = Types.InAssembly(Api)
            .That().ResideInNamespace(Features)
            .And().HaveNameEndingWith("Rules").Or().HaveNameEndingWith("Queries")
            .ShouldNot().HaveDependencyOnAny(
                "Microsoft.AspNetCore.Http.HttpContext",
                "Microsoft.AspNetCore.Http.HttpRequest",
                "Microsoft.AspNetCore.Http.HttpResponse",
                "Microsoft.AspNetCore.Http.IFormFile",
                "Microsoft.AspNetCore.Http.IHttpContextAccessor",
                "Microsoft.AspNetCore.Http.IResult",
                "Microsoft.AspNetCore.Http.Results",
                "Microsoft.AspNetCore.Http.TypedResults",
                "Microsoft.AspNetCore.Http.HttpResults",
                "Microsoft.AspNetCore.Mvc",
                "System.Security.Claims.ClaimsPrincipal")
            .GetResult();

        Assert.True(result.IsSuccessful, "Rules or queries that touch HTTP: " + Names(result.FailingTypes));
    }

    [Fact]
    public void No_two_areas_depend_on_each_other()
    {
        // For each area, the other areas' types (and compiled views) that use it; a rule two areas need lives in the
        // one that owns it, and the other calls it.
        var types = Types.InAssembly(Api);
        var users = Areas().ToDictionary(area => area, area => types.That().HaveDependencyOn($"{Features}.{area}").GetTypes()
            .Select(t => (Area: AreaOf(t), Type: Describe(t))).Where(u => u.Area is not null && u.Area != area).ToList());
        bool Uses(string user, string used) => users[used].Any(u => u.Area == user);
        string Which(string user, string used) => $"{user} -> {used} in " + string.Join(", ", users[used].Where(u => u.Area == user).Select(u => u.Type).Distinct().Order());

        Assert.Contains(users, u => u.Value.Count > 0);
        var cycles = users.Keys.SelectMany(a => users.Keys.Where(b => string.CompareOrdinal(a, b) < 0 && Uses(a, b) && Uses(b, a))
            .Select(b => $"{a} <-> {b}: {Which(a, b)}; {Which(b, a)}")).ToList();
        Assert.True(cycles.Count == 0, "Areas that depend on each other:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void Only_the_queries_narrow_a_read_by_the_callers_scope()
    {
        // Every type that calls the scope extension (UnitScope.VisibleTo), counted by its outermost type: an async
        // method's state machine is a nested type of the class that wrote it.
        var scoped = Types.InAssembly(Api).That().HaveDependencyOn("Fleet.Api.Infrastructure.UnitScope").GetTypes()
            .Select(t => { while (t.DeclaringType is { } declaring) t = declaring; return t; })
            .Distinct().ToList();
        var offenders = scoped.Where(t => t.Name.EndsWith("Endpoints", StringComparison.Ordinal)
            || (t.Namespace ?? "").EndsWith(".Pages", StringComparison.Ordinal)).Select(Describe).Order().ToList();

        // Not vacuous: the queries are seen calling it, and so is a class that calls it only inside async methods (the
        // vehicle rules), as a page's handler would.
        Assert.Contains(scoped, t => t.Name == "SpotCheckQueries");
        Assert.Contains(scoped, t => t.Name == "VehicleRules");
        Assert.True(offenders.Count == 0, "Endpoints or pages that apply the caller's scope themselves (a read belongs in the area's queries):\n"
            + string.Join("\n", offenders));
    }

    /// <summary>The areas: the namespaces directly under Fleet.Api.Features that hold types.</summary>
    private static IEnumerable<string> Areas() =>
        Api.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Features + ".", StringComparison.Ordinal))
            .Select(n => n[(Features.Length + 1)..].Split('.')[0])
            .Distinct().Order();

    /// <summary>Compiled views by type, each with the file it was compiled from (/Features/SealUp/Pages/Order.cshtml).</summary>
    private static readonly Dictionary<Type, string> Views = Api.GetCustomAttributes<RazorCompiledItemAttribute>()
        .ToDictionary(a => a.Type, a => a.Identifier);

    /// <summary>The area a type belongs to: by namespace for C#, by file path for a compiled view; null for neither.</summary>
    private static string? AreaOf(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring) outer = declaring;
        if (Views.TryGetValue(outer, out var path))
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 2 && parts[0] == "Features" ? parts[1] : null;
        }
        var ns = outer.Namespace ?? "";
        return ns.StartsWith(Features + ".", StringComparison.Ordinal) ? ns[(Features.Length + 1)..].Split('.')[0] : null;
    }

    private static string Describe(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring) outer = declaring;
        return Views.TryGetValue(outer, out var path) ? $"{outer.FullName} ({path})" : outer.FullName ?? outer.Name;
    }

    private static string Names(IEnumerable<Type>? types) =>
        types is null ? "(none)" : string.Join(", ", types.Select(t => t.FullName).Distinct().Order());
}
