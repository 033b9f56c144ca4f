using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Units;

public sealed record UnitDto(Guid Id, string Code, string Name, UnitKind Kind, Guid? ParentId, int VehicleQuota, int ActiveVehicles, int Version,
    Guid RegionId, string RegionName);

public static partial class UnitEndpoints
{
    /// <param name="RegionId">The region that governs the unit (in the Admin's scope); default the Admin's own.</param>
    public sealed record UnitRequest(string? Code, string? Name, UnitKind? Kind, Guid? ParentId, int? VehicleQuota, Guid? RegionId = null);

    public sealed class Validator : RequestValidator<UnitRequest>
    {
        public Validator()
        {
            RuleFor(r => r.Code).NotEmpty().MaximumLength(32).Must(c => c is null || CodeChars().IsMatch(PlainText.Halfwidth(c).Trim()))
                .Refuse("Common.NameChars");
            RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
            RuleFor(r => r.Kind).NotNull();
            RuleFor(r => r.VehicleQuota).NotNull().InclusiveBetween(0, 1_000_000);
        }
    }

    // Full-width letters and digits (Ｄ０１) are the same code (PlainText.Halfwidth).
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial System.Text.RegularExpressions.Regex CodeChars();

    public static void MapUnitEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/units").WithTags("Units");
        group.MapPost("/", Create).AllowRoles(Role.Admin).Validate<UnitRequest>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}", Update).AllowRoles(Role.Admin).Validate<UnitRequest>();
    }

    /// <summary>Active vehicles are the ones that count against the quota: not disposed and not recovered.</summary>
    public static IQueryable<UnitDto> ToDtos(this IQueryable<Unit> units, FleetDbContext db) => units.Select(u => new UnitDto(
        u.Id, u.Code, u.Name, u.Kind, u.ParentId, u.VehicleQuota,
        db.Vehicles.Where(v => v.UnitId == u.Id).Count(Vehicles.Standards.Held),
        u.Version, u.RegionId, db.Regions.Where(r => r.Id == u.RegionId).Select(r => r.Name).First()));

    public static Task<Results<Created<UnitDto>, ValidationProblem, ProblemHttpResult>> Create(
        UnitRequest request, ClaimsPrincipal user, HttpResponse response, UnitRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.CreateAsync(Caller.From(user), Input(request), ct).ToCreatedAsync(u => $"/api/units/{u.Id}", async u =>
        {
            response.Headers.ETag = ETags.For(u.Version);
            return await db.Units.AsNoTracking().Where(x => x.Id == u.Id).ToDtos(db).FirstAsync(ct);
        });

    private static UnitInput Input(UnitRequest r) => new(r.Code!, r.Name!, r.Kind!.Value, r.ParentId, r.VehicleQuota!.Value, r.RegionId);

    public static async Task<Results<Ok<Paged<UnitDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? code, UnitKind? kind, Guid? parentId, ClaimsPrincipal user, UnitQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        return TypedResults.Ok(await queries.ListAsync(Caller.From(user), new UnitFilter(code, kind, parentId), paging.ToRequest(), ct));
    }

    public static async Task<Results<Ok<UnitDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, UnitQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } unit ? TypedResults.Ok(unit) : Problems.NotFound("Units.NotFound");

    public static Task<Results<Ok<UnitDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UnitRequest request, ClaimsPrincipal user, HttpRequest http, UnitRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.UpdateAsync(Caller.From(user), id, Input(request), version => ETags.Matches(http, version), ct).ToOkAsync(async u =>
        {
            var dto = await db.Units.AsNoTracking().Where(x => x.Id == u.Id).ToDtos(db).FirstAsync(ct);
            http.HttpContext.Response.Headers.ETag = ETags.For(dto.Version);
            return dto;
        });
}
