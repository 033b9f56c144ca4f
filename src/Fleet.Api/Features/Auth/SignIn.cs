using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Fleet.Api.Features.Auth;

public static class SignIn
{
    public sealed record Request(string? Username, string? Password);

    public sealed record Token(string AccessToken, string TokenType, int ExpiresIn, Role Role, Guid? UnitId, Guid? RegionId);

    public sealed class Validator : RequestValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Username).NotEmpty().MaximumLength(64);
            RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
        }
    }

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/auth/token", Handle).AllowAnonymous().WithTags("Auth").Validate<Request>()
            .ProducesProblem(401).ProducesProblem(429);

    // A dummy hash keeps an unknown username from answering faster than a wrong password.
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<User>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = Infrastructure.Auth.PasswordIterations }))
            .HashPassword(null!, Guid.NewGuid().ToString()));

    /// <summary>
    /// The user when the password is right (and the sign-in counted), or how long to wait when throttled; deactivated
    /// when the right password was given for a deactivated account (only its holder learns that it is deactivated).
    /// </summary>
    public sealed record Attempt(User? User, int? RetryAfter, bool Deactivated = false);

    /// <summary>One sign-in attempt, throttled per user and address: the API's token and the pages' session both start here.</summary>
    public static async Task<Attempt> AttemptAsync(string username, string password, HttpContext http, FleetDbContext db,
        IPasswordHasher<User> hasher, SignInThrottle throttle, TimeProvider clock, CancellationToken ct)
    {
        username = username.Trim();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(username, address, ct) is { } wait) return new Attempt(null, wait);

        // Whoever signs in, wherever they work: a request that already carries someone's token is narrowed to their
        // region, and must not hide another person's account from their own sign-in.
        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Username == username, ct);
        var verdict = hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DummyHash.Value, password);
        if (user is null || user.Disabled || verdict == PasswordVerificationResult.Failed)
        {
            await throttle.FailedAsync(username, address, ct);
            return new Attempt(null, null, user is { Disabled: true } && verdict != PasswordVerificationResult.Failed);
        }
        await throttle.SucceededAsync(username, address, ct);
        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        db.AuditAs(user, "SignIn");
        // Nobody is signed in yet on this request: the entry names the person signing in.
        using (AuditActor.RunAs(user.Username)) await db.SaveChangesAsync(ct);
        return new Attempt(user, null);
    }

    public static async Task<Results<Ok<Token>, ProblemHttpResult>> Handle(
        Request request, HttpContext http, FleetDbContext db, IPasswordHasher<User> hasher, SignInThrottle throttle,
        TokenIssuer issuer, TimeProvider clock, CancellationToken ct)
    {
        // A token is a credential: no cache along the way keeps it.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var attempt = await AttemptAsync(request.Username!, request.Password!, http, db, hasher, throttle, clock, ct);
        if (attempt.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Status(StatusCodes.Status429TooManyRequests, new CodedText("Auth.TooManyAttempts"));
        }
        if (attempt.Deactivated) return Problems.Status(StatusCodes.Status401Unauthorized, new CodedText("Auth.Deactivated"));
        if (attempt.User is not { } user) return Problems.Status(StatusCodes.Status401Unauthorized, new CodedText("Auth.WrongPassword"));
        return TypedResults.Ok(new Token(issuer.Issue(user), "Bearer", issuer.LifetimeSeconds, user.Role, user.UnitId, user.RegionId));
    }
}
