using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Users;

public sealed record UserDto(Guid Id, string Username, Role Role, Guid? UnitId);

public static class UserEndpoints
{
    public sealed record CreateRequest(string? Username, string? Password, Role? Role, Guid? UnitId);

    public sealed class Validator : AbstractValidator<CreateRequest>
    {
        public Validator()
        {
            RuleFor(r => r.Username).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9._-]+$")
                .WithMessage("Use letters, digits, '.', '_' or '-'.");
            RuleFor(r => r.Password).NotEmpty().MinimumLength(Infrastructure.Auth.MinPasswordLength).MaximumLength(256);
            RuleFor(r => r.Role).NotNull();
            RuleFor(r => r.UnitId).NotNull().When(r => r.Role == Role.VehicleAdmin)
                .WithMessage("A VehicleAdmin is bound to exactly one unit.");
            RuleFor(r => r.UnitId).Null().When(r => r.Role is not null and not Role.VehicleAdmin)
                .WithMessage("Only a VehicleAdmin is bound to a unit.");
        }
    }

    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").AllowRoles(Role.Admin);
        group.MapPost("/", Create).Validate<CreateRequest>();
        group.MapGet("/", List);
    }

    public static Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateRequest request, ClaimsPrincipal user, AccountRules rules, CancellationToken ct) =>
        rules.CreateAsync(Caller.From(user), new NewAccount(request.Username!, request.Password!, request.Role!.Value, request.UnitId), ct)
            .ToCreatedAsync(u => $"/api/users/{u.Id}", u => new UserDto(u.Id, u.Username, u.Role, u.UnitId));

    public static async Task<Results<Ok<Paged<UserDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var query = db.Users.AsNoTracking().OrderBy(u => u.Username).Select(u => new UserDto(u.Id, u.Username, u.Role, u.UnitId));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }
}
