using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Regions;

public static class RegionEndpoints
{
    public sealed record CreateRequest(string? Code, string? Name, RegionLevel? Level, Guid? ParentId);

    public sealed record RenameRequest(string? Name);

    public sealed class CreateValidator : RequestValidator<CreateRequest>
    {
        public CreateValidator()
        {
            RuleFor(r => r.Code).NotEmpty().Matches("^[1-8][0-9]{5}$").Refuse("Regions.CodeDigits");
            RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Level).NotNull();
        }
    }

    public sealed class RenameValidator : RequestValidator<RenameRequest>
    {
        public RenameValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
    }

    public static void MapRegionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/regions").WithTags("Regions").RequireAuthorization();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).AllowRoles(Role.Admin).Validate<CreateRequest>();
        group.MapPut("/{id:guid}", Rename).AllowRoles(Role.Admin).Validate<RenameRequest>();
    }

    public static async Task<Ok<List<RegionDto>>> List(ClaimsPrincipal user, RegionQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(Caller.From(user), ct));

    public static async Task<Results<Ok<RegionDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, RegionQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } region ? TypedResults.Ok(region) : Problems.NotFound("Regions.NotFound");

    public static Task<Results<Created<RegionDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateRequest request, ClaimsPrincipal user, HttpResponse response, RegionRules rules, CancellationToken ct) =>
        rules.CreateAsync(Caller.From(user), new RegionInput(request.Code!, request.Name!, request.Level!.Value, request.ParentId), ct)
            .ToCreatedAsync(r => $"/api/regions/{r.Id}", r =>
            {
                response.Headers.ETag = ETags.For(r.Version);
                return RegionQueries.Dto(r);
            });

    public static Task<Results<Ok<RegionDto>, ValidationProblem, ProblemHttpResult>> Rename(
        Guid id, RenameRequest request, ClaimsPrincipal user, HttpRequest http, RegionRules rules, CancellationToken ct) =>
        rules.RenameAsync(Caller.From(user), id, request.Name!, version => ETags.Matches(http, version), ct).ToOkAsync(r =>
        {
            http.HttpContext.Response.Headers.ETag = ETags.For(r.Version);
            return RegionQueries.Dto(r);
        });
}
