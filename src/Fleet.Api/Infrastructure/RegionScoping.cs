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

/// <summary>
/// The region a request is confined to, decided once by <see cref="RegionScoping.UseRegionScope"/> and applied to the
/// request's database context: at once if it is already rented, otherwise when it is first asked for. Either way every
/// query of the request carries the scope; a request that never reads through the context never rents one.
/// </summary>
public sealed class RequestRegion
{
    private FleetDbContext? context;

    public RegionScope? Scope { get; private set; }

    public void NarrowTo(RegionScope scope)
    {
        Scope = scope;
        context?.NarrowTo(scope);
    }

    internal FleetDbContext Apply(FleetDbContext db)
    {
        context = db;
        if (Scope is { } scope) db.NarrowTo(scope);
        return db;
    }
}

public static class RegionScoping
{
    /// <summary>
    /// Narrows the request's database context to the signed-in caller's region subtree, once, before any endpoint or
    /// page reads: every query of the request then carries the scope (FleetDbContext's query filters). The context is
    /// not rented here (<see cref="RequestRegion"/>); a caller at the root is not narrowed.
    /// </summary>
    /// <para>
    /// Every read of the API also takes <c>regionId=</c>, a region in the caller's scope: the context is then narrowed to
    /// that region's subtree, for lists, totals and reports alike; a region outside the scope is not found (404).
    /// </para>
    public static IApplicationBuilder UseRegionScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }
        if (int.TryParse(http.User.FindFirstValue(Caller.RegionCodeClaim), System.Globalization.CultureInfo.InvariantCulture, out var code) &&
            code != http.RequestServices.GetRequiredService<RootRegion>().Code)
            http.RequestServices.GetRequiredService<RequestRegion>().NarrowTo(RegionScope.Of(code));
        if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.StartsWithSegments("/api") &&
            http.Request.Query.TryGetValue(RegionParameter, out var named))
        {
            if (named.Count != 1 || !Guid.TryParse(named[0], out var regionId))
            {
                await Problems.Of(Refusal.Invalid(RegionParameter, "Regions.BadId")).ExecuteAsync(http);
                return;
            }
            var db = http.RequestServices.GetRequiredService<FleetDbContext>();
            var region = await db.Regions.AsNoTracking().Where(r => r.Id == regionId).Select(r => new { r.Code, r.Level }).FirstOrDefaultAsync(http.RequestAborted);
            if (region is null)
            {
                await Problems.Of(Refusal.NotFound("Regions.NotFound")).ExecuteAsync(http);
                return;
            }
            http.RequestServices.GetRequiredService<RequestRegion>().NarrowTo(new RegionScope(region.Code, region.Level));
        }
        await next(http);
    });

    public const string RegionParameter = "regionId";
}
