using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Fleet.Data.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Api.Infrastructure;

public static class Auth
{
    public const int PasswordIterations = 210_000;
    public const int MinPasswordLength = 12;
    public const string DashboardPath = "/hangfire";
    public const string StampClaim = "stamp";
    private const string DashboardCookie = "fleet_hangfire";
    /// <summary>The default scheme: picks the bearer token for the API and the session cookie for the pages.</summary>
    public const string Scheme = "Fleet";
    public const string CookieScheme = "FleetSession";
    public const string SessionCookie = "fleet_session";

    public static IServiceCollection AddFleetAuth(this IServiceCollection services, FleetOptions fleet, ILogger logger)
    {
        var key = new SymmetricSecurityKey(SigningKey(fleet, logger));
        services.AddSingleton(new TokenIssuer(key, fleet.Jwt));
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SignInThrottle>();
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditActor>();
        services.AddSingleton<IAuditActor>(sp => sp.GetRequiredService<AuditActor>());

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = SchemeFor)
            .AddCookie(CookieScheme, o => Session(o, fleet.Web))
            .AddJwtBearer(o => Bearer(o, fleet.Jwt, key));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    private static void Bearer(JwtBearerOptions o, JwtOptions jwt, SymmetricSecurityKey key)
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "name",
            RoleClaimType = "role",
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = TokenValidatedAsync,
            // A browser opening the Hangfire dashboard cannot send a bearer header: it may pass the token once as
            // ?access_token=, which is then kept in an HttpOnly cookie scoped to /hangfire.
            OnMessageReceived = MessageReceived,
        };
    }

    /// <summary>
    /// A token must name a known role and an account whose security stamp it carries: deactivation, a new role or
    /// unit, or a new password end the tokens issued before (401 on the next request).
    /// </summary>
    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var user = context.Principal!;
        if (!Guid.TryParse(user.FindFirstValue("sub"), out var id) || !Enum.TryParse<Role>(user.FindFirstValue("role"), out var role) ||
            !Enum.IsDefined(role) || string.IsNullOrEmpty(user.FindFirstValue("name")))
        {
            context.Fail("The token does not name an account and a role.");
            return;
        }
        var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountCheck>();
        if (!await accounts.IsCurrentAsync(id, user.FindFirstValue(StampClaim), context.HttpContext.RequestAborted))
            context.Fail("The account was deactivated or changed since the token was issued.");
    }

    private static Task MessageReceived(MessageReceivedContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(DashboardPath)) return Task.CompletedTask;
        if (request.Query["access_token"] is { Count: 1 } query && !string.IsNullOrEmpty(query[0]))
        {
            context.Token = query[0];
            context.Response.Cookies.Append(DashboardCookie, query[0]!, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = DashboardPath,
                Secure = request.IsHttps,
            });
        }
        else if (request.Cookies.TryGetValue(DashboardCookie, out var cookie))
        {
            context.Token = cookie;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The API answers to bearer tokens; the pages to the session cookie. A page may read through the API with its
    /// session (report downloads, plate completion), but a change through the API always needs a token.
    /// </summary>
    private static string SchemeFor(HttpContext http)
    {
        var request = http.Request;
        var api = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments(DashboardPath) || request.Path.StartsWithSegments("/openapi");
        if (!api) return CookieScheme;
        var bearer = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (!bearer && request.Path.StartsWithSegments("/api") && HttpMethods.IsGet(request.Method) && request.Cookies.ContainsKey(SessionCookie))
            return CookieScheme;
        // The admin's jobs dashboard opens from the pages with the session (its changes are checked by origin and token).
        if (!bearer && request.Path.StartsWithSegments(DashboardPath) && !request.Query.ContainsKey("access_token") && request.Cookies.ContainsKey(SessionCookie))
            return CookieScheme;
        return JwtBearerDefaults.AuthenticationScheme;
    }

    public const string EndedByDeactivation = "deactivated";
    public const string EndedByPassword = "password";
    public const string EndedByChange = "changed";
    private const string EndedKey = "fleet:session-ended";

    /// <summary>
    /// Why a session's stamp is no longer the account's, for the sign-in page to say: the account deactivated (or gone),
    /// its role, unit or region changed since the session began, or else its password changed.
    /// </summary>
    private static async Task<string> WhyEndedAsync(HttpContext http, ClaimsPrincipal session, Guid id)
    {
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        var now = await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => u.Id == id)
            .Select(u => new { u.Disabled, u.Role, u.UnitId, u.RegionId }).FirstOrDefaultAsync(http.RequestAborted);
        if (now is null || now.Disabled) return EndedByDeactivation;
        var changed = now.Role.ToString() != session.FindFirstValue("role")
            || (now.UnitId?.ToString() ?? "") != (session.FindFirstValue(Caller.UnitClaim) ?? "")
            || (now.RegionId?.ToString() ?? "") != (session.FindFirstValue(Caller.RegionClaim) ?? "");
        return changed ? EndedByChange : EndedByPassword;
    }

    private static void Session(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions o, WebOptions web)
    {
        o.Cookie.Name = SessionCookie;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromMinutes(Math.Clamp(web.IdleMinutes, 1, 24 * 60));
        o.SlidingExpiration = true;
        o.LoginPath = "/login";
        o.LogoutPath = "/logout";
        o.AccessDeniedPath = "/denied";
        o.ReturnUrlParameter = "returnUrl";
        o.Events.OnValidatePrincipal = async context =>
        {
            // The same check as a token's: deactivation or a new password, role or unit ends the session too.
            var user = context.Principal!;
            var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountCheck>();
            if (!Guid.TryParse(user.FindFirstValue("sub"), out var id) ||
                !await accounts.IsCurrentAsync(id, user.FindFirstValue(StampClaim), context.HttpContext.RequestAborted))
            {
                context.HttpContext.Items[EndedKey] = await WhyEndedAsync(context.HttpContext, user, id);
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieScheme);
            }
        };
        // The API never redirects: it answers 401/403 whichever scheme was asked.
        o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
        static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
        {
            if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = status;
            else if (context.HttpContext.Items[EndedKey] is string why)
                context.Response.Redirect(QueryHelpers.AddQueryString(context.RedirectUri, "why", why));
            else context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
    }

    /// <summary>What a token and a page session say about their user: the same claims, so <see cref="Caller.From"/> reads both.</summary>
    public static ClaimsIdentity Identity(User user, string authenticationType) => new(
    [
        new Claim("sub", user.Id.ToString()),
        new Claim("name", user.Username),
        new Claim("role", user.Role.ToString()),
        new Claim(StampClaim, user.SecurityStamp),
        .. user.UnitId is { } unit ? [new Claim(Caller.UnitClaim, unit.ToString())] : Array.Empty<Claim>(),
        .. user.RegionId is { } region ? [new Claim(Caller.RegionClaim, region.ToString())] : Array.Empty<Claim>(),
        .. user.RegionCode is { } code ? [new Claim(Caller.RegionCodeClaim, code.ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<Claim>(),
    ], authenticationType, "name", "role");

    public static RouteHandlerBuilder AllowRoles(this RouteHandlerBuilder builder, params Role[] roles) =>
        builder.RequireAuthorization(p => p.RequireRole(roles.Select(r => r.ToString())));

    public static RouteGroupBuilder AllowRoles(this RouteGroupBuilder builder, params Role[] roles) =>
        builder.RequireAuthorization(p => p.RequireRole(roles.Select(r => r.ToString())));

    /// <summary>The key from configuration, or (embedded default) one generated once and kept in the data directory.</summary>
    public static byte[] SigningKey(FleetOptions fleet, ILogger logger)
    {
        if (!string.IsNullOrEmpty(fleet.Jwt.SigningKey))
        {
            var configured = Encoding.UTF8.GetBytes(fleet.Jwt.SigningKey);
            if (configured.Length < 32) throw new InvalidOperationException("Fleet:Jwt:SigningKey must be at least 32 bytes.");
            return configured;
        }
        PrivateFiles.CreateDirectory(fleet.DataPath);
        var path = Path.Combine(fleet.DataPath, "jwt-signing.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        // Written whole under another name, then moved into place only if no key is there yet: two first starts end
        // with one key, and nobody reads a half-written one.
        var key = RandomNumberGenerator.GetBytes(64);
        var temporary = Path.Combine(fleet.DataPath, $".jwt-signing.{Guid.NewGuid():N}.tmp");
        using (var file = PrivateFiles.Create(temporary))
        {
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            file.Flush(flushToDisk: true); // on disk before it has its name: a crash leaves no empty key
        }
        if (!KeyFile.Publish(temporary, path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        logger.LogWarning("No Fleet:Jwt:SigningKey configured; generated one in {Path}. Several instances must share one configured key.", path);
        return key;
    }
}

/// <summary>Puts a fully written file in place only if nothing is there yet, atomically (the loser of a race reads the winner's).</summary>
internal static class KeyFile
{
#pragma warning disable SYSLIB1054 // one call at first start: the classic declaration is enough
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);
#pragma warning restore SYSLIB1054

    public static bool Publish(string temporary, string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                // MoveFileEx without REPLACE_EXISTING fails when the target exists.
                try
                {
                    File.Move(temporary, path, overwrite: false);
                    return true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
            }
            // link(2) fails with EEXIST when the name is taken; .NET's File.Move checks first, then renames over it.
            if (link(temporary, path) == 0) return true;
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error == 17) return false;
            // A file system without hard links (EPERM, ENOTSUP on some network or container volumes): create the name
            // exclusively and copy the key in; the one that created it wins.
            if (error is 1 or 95)
            {
                try
                {
                    using var target = PrivateFiles.Create(path);
                    target.Write(File.ReadAllBytes(temporary));
                    target.Flush(flushToDisk: true);
                    return true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
            }
            throw new IOException($"Cannot create {path} (errno {error}).");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

public sealed class TokenIssuer(SymmetricSecurityKey key, JwtOptions options)
{
    private readonly JsonWebTokenHandler handler = new();

    public int LifetimeSeconds => Math.Clamp(options.LifetimeMinutes, 1, 480) * 60;

    /// <summary>Token lifetimes follow the real clock, not the domain clock, so a test's fake time cannot mint a long-lived token.</summary>
    public string Issue(User user) => handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = options.Issuer,
        Audience = options.Audience,
        Expires = DateTime.UtcNow.AddSeconds(LifetimeSeconds),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        Subject = Auth.Identity(user, "Bearer"),
    });
}

/// <summary>Whether a token's account still stands as it was when the token was issued (its security stamp).</summary>
public interface IAccountCheck
{
    ValueTask<bool> IsCurrentAsync(Guid userId, string? stamp, CancellationToken ct);
}

/// <summary>The audit actor: the signed-in user's name, or the name a job or the seeder runs under.</summary>
public sealed class AuditActor(IHttpContextAccessor http) : IAuditActor
{
    private static readonly AsyncLocal<string?> Override = new();

    public string Name => Override.Value ?? http.HttpContext?.User.Identity?.Name ?? "system";

    public static IDisposable RunAs(string name)
    {
        var previous = Override.Value;
        Override.Value = name;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}
