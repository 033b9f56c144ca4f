using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Recoveries;

public sealed record CampaignDto(Guid Id, string Name, DateOnly StartsOn, DateOnly EndsOn, DateTime CreatedAt, Guid RegionId);

/// <summary>A clean-up drive over a period; "clean up 88 units twice" is two campaigns, one per round.</summary>
public static class CampaignEndpoints
{
    /// <param name="RegionId">The region that runs the round (in the Admin's scope; default their own).</param>
    public sealed record Request(string? Name, DateOnly? StartsOn, DateOnly? EndsOn, Guid? RegionId = null);

    public sealed class Validator : RequestValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
            RuleFor(r => r.StartsOn).NotNull().InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
            RuleFor(r => r.EndsOn).NotNull().GreaterThanOrEqualTo(r => r.StartsOn).When(r => r.StartsOn is not null)
                .Refuse("Recoveries.EndsBeforeStart");
        }
    }

    public static void MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Recoveries");
        group.MapPost("/", Create).AllowRoles(Role.Admin).Validate<Request>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
    }

    public static Task<Results<Created<CampaignDto>, ValidationProblem, ProblemHttpResult>> Create(
        Request request, System.Security.Claims.ClaimsPrincipal user, RecoveryRules rules, CancellationToken ct) =>
        rules.CreateCampaignAsync(Caller.From(user), request.Name!, request.StartsOn!.Value, request.EndsOn!.Value, ct, request.RegionId)
            .ToCreatedAsync(c => $"/api/campaigns/{c.Id}", ToDto);

    public static async Task<Results<Ok<Paged<CampaignDto>>, ValidationProblem>> List([AsParameters] PageQuery paging, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var query = db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartsOn)
            .Select(c => new CampaignDto(c.Id, c.Name, c.StartsOn, c.EndsOn, c.CreatedAt, c.RegionId));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }

    public static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Get(Guid id, FleetDbContext db, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return campaign is null ? Problems.NotFound("Recoveries.CampaignNotFound") : TypedResults.Ok(ToDto(campaign));
    }

    private static CampaignDto ToDto(Campaign c) => new(c.Id, c.Name, c.StartsOn, c.EndsOn, c.CreatedAt, c.RegionId);
}
