using System.Security.Claims;

namespace Fleet.Api.Infrastructure;

/// <summary>The signed-in user as the handlers see it: who, in which role, bound to which unit, working at which region.</summary>
/// <param name="RegionId">The region the caller works at (a VehicleAdmin: their unit's); null in a token from before levels, which worked at the root.</param>
/// <param name="RegionCode">That region's GB/T 2260 code: the caller's subtree is a range of it (<see cref="RegionScope"/>).</param>
public sealed record Caller(Guid UserId, string Username, Role Role, Guid? UnitId, Guid? RegionId = null, int? RegionCode = null)
{
    public const string UnitClaim = "unit_id";
    public const string RegionClaim = "region_id";
    public const string RegionCodeClaim = "region_code";

    /// <summary>The caller's subtree; null when the caller works at the root (or their token predates levels).</summary>
    public RegionScope? Scope(RootRegion root) =>
        RegionCode is { } code && code != root.Code ? RegionScope.Of(code) : null;

    /// <summary>True when the caller's subtree holds a record of <paramref name="regionCode"/>.</summary>
    public bool Governs(RootRegion root, int regionCode) => Scope(root) is not { } scope || scope.Contains(regionCode);

    /// <summary>A VehicleAdmin is confined to their unit; every other role reads across units.</summary>
    public bool IsUnitBound => Role == Role.VehicleAdmin;

    public bool MaySee(Guid unitId) => !IsUnitBound || UnitId == unitId;

    /// <summary>Null when the caller has one of the roles; otherwise the refusal (403) a rule answers with.</summary>
    public Refusal? Unless(params Role[] roles) =>
        roles.Contains(Role) ? null : Refusal.Forbidden("Common.RoleRequired", ("roles", new AnyOf(roles.Cast<Enum>().ToList())), ("role", Role));

    public static Caller From(ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue("sub")!),
        user.FindFirstValue("name")!,
        Enum.Parse<Role>(user.FindFirstValue("role")!),
        Guid.TryParse(user.FindFirstValue(UnitClaim), out var unit) ? unit : null,
        Guid.TryParse(user.FindFirstValue(RegionClaim), out var region) ? region : null,
        int.TryParse(user.FindFirstValue(RegionCodeClaim), System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null);
}

public static class UnitScope
{
    /// <summary>Confines a query to the caller's unit when the caller is unit-bound. Every list and lookup goes through it.</summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, Caller caller) where T : class, IUnitOwned =>
        caller.IsUnitBound ? query.Where(e => e.UnitId == caller.UnitId) : query;
}
