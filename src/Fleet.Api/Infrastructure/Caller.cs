using System.Security.Claims;

namespace Fleet.Api.Infrastructure;

/// <summary>The signed-in user as the handlers see it: who, in which role, bound to which unit.</summary>
public sealed record Caller(Guid UserId, string Username, Role Role, Guid? UnitId)
{
    public const string UnitClaim = "unit_id";

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
        Guid.TryParse(user.FindFirstValue(UnitClaim), out var unit) ? unit : null);
}

public static class UnitScope
{
    /// <summary>Confines a query to the caller's unit when the caller is unit-bound. Every list and lookup goes through it.</summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, Caller caller) where T : class, IUnitOwned =>
        caller.IsUnitBound ? query.Where(e => e.UnitId == caller.UnitId) : query;
}
