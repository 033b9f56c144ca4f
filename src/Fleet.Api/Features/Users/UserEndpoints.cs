using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Users;

public sealed record UserDto(Guid Id, string Username, string? DisplayName, Role Role, Guid? UnitId, string? Phone, bool Active, DateTime? LastSignInAt, Guid? RegionId)
{
    public static UserDto From(User u) => new(u.Id, u.Username, u.DisplayName, u.Role, u.UnitId, u.Phone, !u.Disabled, u.LastSignInAt, u.RegionId);
}

public sealed record MeDto(Guid Id, string Username, string? DisplayName, Role Role, Guid? UnitId, string? UnitName, string? Phone, Guid? RegionId, string? RegionName);

public static class UserEndpoints
{
    public sealed record CreateRequest(string? Username, string? Password, Role? Role, Guid? UnitId, string? DisplayName, string? Phone, Guid? RegionId = null);

    public sealed record UpdateRequest(string? DisplayName, string? Phone, Role? Role, Guid? UnitId, bool? Active, Guid? RegionId = null);

    public sealed record ResetRequest(string? NewPassword);

    public sealed record ChangeRequest(string? CurrentPassword, string? NewPassword);

    public sealed class Validator : RequestValidator<CreateRequest>
    {
        public Validator()
        {
            RuleFor(r => r.Username).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9._-]+$")
                .Refuse("Common.NameChars");
            RuleFor(r => r.Password).StrongPassword(r => r.Username);
            RuleFor(r => r.Role).NotNull();
            RuleFor(r => r.UnitId).NotNull().When(r => r.Role == Role.VehicleAdmin)
                .Refuse("Users.UnitRequired");
            RuleFor(r => r.UnitId).Null().When(r => r.Role is not null and not Role.VehicleAdmin)
                .Refuse("Users.UnitNotAllowed");
            RuleFor(r => r.DisplayName).MaximumLength(64);
            RuleFor(r => r.Phone).MaximumLength(32).Matches(@"^[0-9+\- ]*$").Refuse("Users.PhoneChars");
        }
    }

    public sealed class UpdateValidator : RequestValidator<UpdateRequest>
    {
        public UpdateValidator()
        {
            RuleFor(r => r.Role).NotNull();
            RuleFor(r => r.Active).NotNull();
            RuleFor(r => r.DisplayName).MaximumLength(64);
            RuleFor(r => r.Phone).MaximumLength(32).Matches(@"^[0-9+\- ]*$").Refuse("Users.PhoneChars");
        }
    }

    public sealed class ResetValidator : RequestValidator<ResetRequest>
    {
        public ResetValidator() => RuleFor(r => r.NewPassword).NotEmpty().MaximumLength(Passwords.MaxLength);
    }

    public sealed class ChangeValidator : RequestValidator<ChangeRequest>
    {
        public ChangeValidator()
        {
            RuleFor(r => r.CurrentPassword).NotEmpty().MaximumLength(Passwords.MaxLength);
            RuleFor(r => r.NewPassword).NotEmpty().MaximumLength(Passwords.MaxLength);
        }
    }

    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").AllowRoles(Role.Admin);
        group.MapPost("/", Create).Validate<CreateRequest>();
        group.MapGet("/", List);
        group.MapPut("/{id:guid}", Update).Validate<UpdateRequest>();
        group.MapPost("/{id:guid}/password", Reset).Validate<ResetRequest>();
        var me = app.MapGroup("/api/me").WithTags("Users");
        me.MapGet("/", Me);
        me.MapPost("/password", Change).Validate<ChangeRequest>();
    }

    public static Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateRequest request, ClaimsPrincipal user, AccountRules rules, CancellationToken ct) =>
        rules.CreateAsync(Caller.From(user), new NewAccount(request.Username!, request.Password!, request.Role!.Value, request.UnitId, request.DisplayName, request.Phone, request.RegionId), ct)
            .ToCreatedAsync(u => $"/api/users/{u.Id}", UserDto.From);

    public static Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateRequest request, ClaimsPrincipal user, AccountRules rules, CancellationToken ct) =>
        rules.UpdateAsync(Caller.From(user), id, new AccountChange(request.DisplayName, request.Phone, request.Role!.Value, request.UnitId, request.Active!.Value, request.RegionId), ct)
            .ToOkAsync(UserDto.From);

    public static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Reset(
        Guid id, ResetRequest request, ClaimsPrincipal user, AccountRules rules, CancellationToken ct) =>
        rules.ResetPasswordAsync(Caller.From(user), id, request.NewPassword!, ct).ToNoContentAsync();

    public static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Change(
        ChangeRequest request, ClaimsPrincipal user, AccountRules rules, CancellationToken ct) =>
        rules.ChangeOwnPasswordAsync(Caller.From(user), request.CurrentPassword!, request.NewPassword!, ct).ToNoContentAsync();

    public static async Task<Results<Ok<MeDto>, ProblemHttpResult>> Me(ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var id = Caller.From(user).UserId;
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new MeDto(u.Id, u.Username, u.DisplayName, u.Role, u.UnitId, db.Units.Where(x => x.Id == u.UnitId).Select(x => x.Name).FirstOrDefault(), u.Phone,
                u.RegionId, db.Regions.Where(x => x.Id == u.RegionId).Select(x => x.Name).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
        return me is null ? Problems.NotFound("Users.NotFound") : TypedResults.Ok(me);
    }

    public static async Task<Results<Ok<Paged<UserDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, ClaimsPrincipal user, UserQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new UserFilter(), paging.ToRequest(), ct);
        return TypedResults.Ok(page.Map(u => new UserDto(u.Id, u.Username, u.DisplayName, u.Role, u.UnitId, u.Phone, u.Active, u.LastSignInAt, u.RegionId)));
    }
}
