using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Fleet.Tests;

public class AuthTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Signing_in_gives_a_bearer_token_with_role_and_unit()
    {
        var admin = fleet.As(As.Admin);
        var username = FleetFixture.Code("va");
        await Client.Read(await admin.Post("/api/users", new { username, password = "twelve-chars-ok", role = "VehicleAdmin", unitId = fleet.UnitA }), HttpStatusCode.Created);

        var token = await Client.Read(await fleet.As(As.Anonymous).Post("/api/auth/token", new { username, password = "twelve-chars-ok" }), HttpStatusCode.OK);
        Assert.Equal("Bearer", (string)token["tokenType"]!);
        Assert.Equal("VehicleAdmin", (string)token["role"]!);
        Assert.Equal(fleet.UnitA, (Guid)token["unitId"]!);
        var expiresIn = (int)token["expiresIn"]!;
        Assert.InRange(expiresIn, 60, 8 * 3600);

        var jwt = new JsonWebToken((string)token["accessToken"]!);
        Assert.Equal("fleet", jwt.Issuer);
        Assert.Contains("fleet-api", jwt.Audiences);
        Assert.InRange((jwt.ValidTo - jwt.IssuedAt).TotalHours, 0.01, 8);
        Assert.Equal("HS256", jwt.Alg);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_are_the_same_401()
    {
        var anonymous = fleet.As(As.Anonymous);
        var wrong = await Client.Problem(await anonymous.Post("/api/auth/token", new { username = "admin", password = "not-the-password" }), HttpStatusCode.Unauthorized);
        var unknown = await Client.Problem(await anonymous.Post("/api/auth/token", new { username = "nobody-" + Guid.NewGuid(), password = "not-the-password" }), HttpStatusCode.Unauthorized);
        Assert.Equal((string)wrong["detail"]!, (string)unknown["detail"]!);
        await Client.Problem(await anonymous.Post("/api/auth/token", new { username = "admin" }), HttpStatusCode.BadRequest, "password");
    }

    [Fact]
    public async Task Calls_without_a_valid_token_are_401()
    {
        var anonymous = fleet.As(As.Anonymous);
        await Client.Problem(await anonymous.Get("/api/vehicles"), HttpStatusCode.Unauthorized);
        anonymous.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        await Client.Problem(await anonymous.Get("/api/vehicles"), HttpStatusCode.Unauthorized);

        // A token signed with another key is refused.
        var forged = new JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "fleet",
            Audience = "fleet-api",
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["name"] = "x", ["role"] = "Admin" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[64]), "HS256"),
        });
        anonymous.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        await Client.Problem(await anonymous.Get("/api/users"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Passwords_are_stored_as_pbkdf2_hashes_with_at_least_210000_iterations()
    {
        var hash = await fleet.Factory.Db(db => db.Users.Where(u => u.Username == "admin").Select(u => u.PasswordHash).SingleAsync());
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]); // ASP.NET Core Identity v3 format: PBKDF2 with HMAC-SHA256/512
        var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
        Assert.True(iterations >= 210_000, $"{iterations} iterations");
        Assert.DoesNotContain(FleetFactory.AdminPassword, hash);
    }

    [Fact]
    public async Task Users_are_created_by_admins_with_long_passwords_and_unique_names()
    {
        var admin = fleet.As(As.Admin);
        var username = FleetFixture.Code("insp");
        var created = await Client.Read(await admin.Post("/api/users", new { username, password = "long-enough-Pass-9Kx", role = "Inspector" }), HttpStatusCode.Created);
        Assert.Equal(["active", "displayName", "id", "lastSignInAt", "phone", "regionId", "role", "unitId", "username"], created.AsObject().Select(p => p.Key).Order().ToArray());

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await admin.Post("/api/users", new { username, password = "long-enough-Pass-9Kx", role = "Auditor" }), HttpStatusCode.Conflict);
        await Client.Problem(await admin.Post("/api/users", new { username = "u1" + username, password = "short", role = "Auditor" }), HttpStatusCode.BadRequest, "password");
        foreach (var weak in new[] { "aaaaaaaaaaaa", "123456789012", "abcdefghijkl", "lkjihgfedcba", "abababababab", "Password1234", "qwertyuiop123", "dragon12345678", "x" + username + "!" })
            await Client.Problem(await admin.Post("/api/users", new { username, password = weak, role = "Auditor" }), HttpStatusCode.BadRequest, "password");
        await Client.Problem(await admin.Post("/api/users", new { username = "u2" + username, password = "long-enough-Pass-9Kx", role = "VehicleAdmin" }), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await admin.Post("/api/users", new { username = "u3" + username, password = "long-enough-Pass-9Kx", role = "VehicleAdmin", unitId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await admin.Post("/api/users", new { username = "u4" + username, password = "long-enough-Pass-9Kx", role = "Boss" }), HttpStatusCode.BadRequest, "role");
        await Client.Problem(await admin.Post("/api/users", new { username = "u5" + username, password = "long-enough-Pass-9Kx", role = "Admin", passwordHash = "x" }), HttpStatusCode.BadRequest, "passwordHash");
        Assert.Equal(before, await fleet.Factory.WrittenState());

        var list = await admin.GetJson("/api/users?pageSize=500");
        Assert.Contains(list["items"]!.AsArray(), u => (string)u!["username"]! == username);
        Assert.DoesNotContain("passwordHash", list.ToJsonString());
    }
}

/// <summary>Throttling has a host of its own: locking the test address out must not disturb other tests.</summary>
public class SignInThrottleTests : IDisposable
{
    private readonly FleetFactory factory = new(null, new() { ["Fleet:SignIn:MaxFailuresPerUser"] = "3", ["Fleet:SignIn:MaxFailuresPerAddress"] = "6" });

    public void Dispose() => factory.Dispose();

    private Task<HttpResponseMessage> SignIn(string username, string password) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });

    [Fact]
    public async Task Repeated_failures_for_one_user_are_answered_429_with_retry_after_until_the_window_passes()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn("admin", "wrong-password-" + i)).StatusCode);
        var held = await SignIn("admin", FleetFactory.AdminPassword);
        await Client.Problem(held, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(held.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 15 * 60);

        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await SignIn("admin", FleetFactory.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task Many_successful_sign_ins_from_one_address_are_not_held_back_but_many_failures_are()
    {
        var admin = new Client(factory, factory.CreateClient());
        admin.UseToken((string)(await Client.Read(await SignIn("admin", FleetFactory.AdminPassword), HttpStatusCode.OK))["accessToken"]!);
        var users = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var username = FleetFixture.Code("office");
            await Client.Read(await admin.Post("/api/users", new { username, password = "office-Vq4-password-1", role = "Auditor" }), HttpStatusCode.Created);
            users.Add(username);
        }
        for (var round = 0; round < 3; round++)
            foreach (var u in users) Assert.Equal(HttpStatusCode.OK, (await SignIn(u, "office-Vq4-password-1")).StatusCode);

        var newcomer = FleetFixture.Code("office");
        await Client.Read(await admin.Post("/api/users", new { username = newcomer, password = "office-Vq4-password-1", role = "Auditor" }), HttpStatusCode.Created);

        // Failures spread over made-up usernames add up per address: the address is held back for names not known there,
        // but the office's people, who have signed in from it before, are not locked out by a stranger.
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn("guess" + i, "wrong-password")).StatusCode);
        await Client.Problem(await SignIn("guess-more", "wrong-password"), HttpStatusCode.TooManyRequests);
        await Client.Problem(await SignIn(newcomer, "office-Vq4-password-1"), HttpStatusCode.TooManyRequests);
        foreach (var u in users) Assert.Equal(HttpStatusCode.OK, (await SignIn(u, "office-Vq4-password-1")).StatusCode);
    }
}
