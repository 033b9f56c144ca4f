using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.SealUp;

public sealed record HolidayDto(Guid Id, string Name, DateOnly FirstDay, DateOnly LastDay);

public static class HolidayEndpoints
{
    public sealed record Request(string? Name, DateOnly? FirstDay, DateOnly? LastDay);

    public sealed class Validator : RequestValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
            RuleFor(r => r.FirstDay).NotNull().InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
            RuleFor(r => r.LastDay).NotNull()
                .GreaterThanOrEqualTo(r => r.FirstDay).When(r => r.FirstDay is not null).Refuse("SealUp.LastBeforeFirst")
                .Must((r, last) => r.FirstDay is null || last is null || last.Value.DayNumber - r.FirstDay.Value.DayNumber < 31)
                .Refuse("SealUp.HolidayTooLong");
        }
    }

    public static void MapHolidayEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/holidays").WithTags("SealUp");
        group.MapPost("/", Create).AllowRoles(Role.Admin).Validate<Request>();
        group.MapGet("/", List);
    }

    public static Task<Results<Created<HolidayDto>, ValidationProblem, ProblemHttpResult>> Create(
        Request request, System.Security.Claims.ClaimsPrincipal user, SealUpRules rules, CancellationToken ct) =>
        rules.CreateHolidayAsync(Caller.From(user), request.Name!, request.FirstDay!.Value, request.LastDay!.Value, ct)
            .ToCreatedAsync(h => $"/api/holidays/{h.Id}", h => new HolidayDto(h.Id, h.Name, h.FirstDay, h.LastDay));

    public static async Task<Results<Ok<Paged<HolidayDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, int? year, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        if (year is < 2000 or > 2100) return Problems.Field("year", "SealUp.YearRange");
        var holidays = db.Holidays.AsNoTracking();
        if (year is not null)
        {
            var (first, last) = (new DateOnly(year.Value, 1, 1), new DateOnly(year.Value, 12, 31));
            holidays = holidays.Where(h => h.LastDay >= first && h.FirstDay <= last);
        }
        var query = holidays.OrderBy(h => h.FirstDay).Select(h => new HolidayDto(h.Id, h.Name, h.FirstDay, h.LastDay));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }
}
