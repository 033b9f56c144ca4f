using System.Security.Claims;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The deployment's root region, read once at start (it never changes afterwards: one root per deployment). A caller
/// who works at it reads everything; anyone below it is narrowed to their subtree.
/// </summary>
public sealed class RootRegion
{
    public Guid Id { get; private set; }
    public int Code { get; private set; }
    public string Name { get; private set; } = "";
    public RegionLevel Level { get; private set; }

    public void Set(Region root)
    {
        Id = root.Id;
        Code = root.Code;
        Name = root.Name;
        Level = root.Level;
    }
}

public static class RegionScoping
{
    /// <summary>
    /// Narrows the request's database context to the signed-in caller's region subtree, once, before any endpoint or
    /// page reads: every query of the request then carries the scope (FleetDbContext's query filters). A caller at the
    /// root is not narrowed, and the context is not even rented for them here.
    /// </summary>
    public static IApplicationBuilder UseRegionScope(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true &&
            int.TryParse(http.User.FindFirstValue(Caller.RegionCodeClaim), System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            var root = http.RequestServices.GetRequiredService<RootRegion>();
            if (code != root.Code) http.RequestServices.GetRequiredService<FleetDbContext>().NarrowTo(new RegionScope(code, RegionScope.LevelOf(code)));
        }
        return next(http);
    });
}
