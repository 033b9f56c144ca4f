using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
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

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateRequest request, FleetDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        var username = request.Username!.Trim();
        if (request.UnitId is { } unitId && !await db.Units.AnyAsync(u => u.Id == unitId, ct))
            return Problems.Field("unitId", "No unit has this id.");
        if (await db.Users.AnyAsync(u => u.Username == username, ct))
            return Problems.Conflict($"The username '{username}' is taken.");
        var user = new User
        {
            Username = username,
            PasswordHash = "",
            Role = request.Role!.Value,
            UnitId = request.UnitId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/users/{user.Id}", new UserDto(user.Id, user.Username, user.Role, user.UnitId));
    }

    public static async Task<Results<Ok<Paged<UserDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var query = db.Users.AsNoTracking().OrderBy(u => u.Username).Select(u => new UserDto(u.Id, u.Username, u.Role, u.UnitId));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }
}
