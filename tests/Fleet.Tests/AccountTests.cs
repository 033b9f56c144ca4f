using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Tests;

/// <summary>People come and go: accounts are changed, and what ends a person's access ends it at the next request.</summary>
public class AccountTests
{
    private static async Task<(Guid Id, string Username, Client Client)> Account(FleetFixture f, string role = "Inspector", string password = "Inspector-pw-2027")
    {
        var username = FleetFixture.Code("p");
        var id = Make.Id(await Client.Read(await f.As(As.Admin).Post("/api/users",
            new { username, password, role, displayName = "张三", phone = "13800000000" }), HttpStatusCode.Created));
        var client = new Client(f.Factory, f.Factory.CreateClient());
        client.UseToken((string)(await Client.Read(await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password }), HttpStatusCode.OK))["accessToken"]!);
        return (id, username, client);
    }

    private static object Change(string role = "Inspector", bool active = true, Guid? unitId = null) =>
        new { displayName = "张三", phone = "13800000000", role, unitId, active };

    [Fact]
    public async Task A_deactivated_account_loses_its_token_at_the_next_request_and_cannot_sign_in()
    {
        await using var f = await FleetFixture.StartAsync();
        var (id, username, person) = await Account(f);
        Assert.Equal(HttpStatusCode.OK, (await person.Get("/api/spot-checks")).StatusCode);
        var user = await Client.Read(await f.As(As.Admin).Put($"/api/users/{id}", Change(active: false), null), HttpStatusCode.OK);
        Assert.False((bool)user["active"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Get("/api/spot-checks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Post("/api/spot-checks", new
        {
            plateNumber = Make.Plate(),
            unitId = f.UnitA,
            checkedAt = "2027-01-01T00:00:00Z",
            location = "x",
            finding = "PrivateUse"
        })).StatusCode);
        await Client.Problem(await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = "Inspector-pw-2027" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_new_role_ends_the_tokens_of_the_old_one_and_the_account_is_listed_as_it_now_is()
    {
        await using var f = await FleetFixture.StartAsync();
        var (id, username, person) = await Account(f);
        await Client.Read(await f.As(As.Admin).Put($"/api/users/{id}", Change("VehicleAdmin", unitId: f.UnitA), null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Get("/api/violations")).StatusCode);
        var listed = (await f.As(As.Admin).GetJson("/api/users?pageSize=500"))["items"]!.AsArray().Single(u => (string)u!["username"]! == username)!;
        Assert.Equal("VehicleAdmin", (string)listed["role"]!);
        Assert.Equal(f.UnitA, (Guid)listed["unitId"]!);
        Assert.Equal("张三", (string)listed["displayName"]!);
        Assert.NotNull(listed["lastSignInAt"]);
        await Client.Problem(await f.As(As.Admin).Put($"/api/users/{id}", Change("VehicleAdmin"), null), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await f.As(As.Admin).Put($"/api/users/{Guid.NewGuid()}", Change(), null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Changing_ones_own_password_checks_the_current_one_and_ends_the_other_tokens()
    {
        await using var f = await FleetFixture.StartAsync();
        var (_, username, person) = await Account(f);
        var me = await person.GetJson("/api/me");
        Assert.Equal(username, (string)me["username"]!);
        Assert.Equal("Inspector", (string)me["role"]!);
        Assert.Equal("13800000000", (string)me["phone"]!);

        var before = await f.Factory.WrittenState();
        await Client.Problem(await person.Post("/api/me/password", new { currentPassword = "wrong-current-pw", newPassword = "Brand-new-pw-2027" }), HttpStatusCode.BadRequest, "currentPassword");
        await Client.Problem(await person.Post("/api/me/password", new { currentPassword = "Inspector-pw-2027", newPassword = "123456789012" }), HttpStatusCode.BadRequest, "newPassword");
        await Client.Problem(await person.Post("/api/me/password", new { currentPassword = "Inspector-pw-2027", newPassword = username + "-2027" }), HttpStatusCode.BadRequest, "newPassword");
        Assert.Equal(before, await f.Factory.WrittenState());

        Assert.Equal(HttpStatusCode.NoContent, (await person.Post("/api/me/password", new { currentPassword = "Inspector-pw-2027", newPassword = "Brand-new-pw-2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Get("/api/me")).StatusCode);
        await Client.Problem(await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = "Inspector-pw-2027" }), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = "Brand-new-pw-2027" })).StatusCode);
    }

    [Fact]
    public async Task An_admin_resets_a_forgotten_password_and_the_earlier_tokens_end()
    {
        await using var f = await FleetFixture.StartAsync();
        var (id, username, person) = await Account(f);
        await Client.Problem(await f.As(As.Admin).Post($"/api/users/{id}/password", new { newPassword = "aaaaaaaaaaaa" }), HttpStatusCode.BadRequest, "newPassword");
        Assert.Equal(HttpStatusCode.OK, (await person.Get("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.As(As.Admin).Post($"/api/users/{id}/password", new { newPassword = "Reset-by-admin-2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Get("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = "Reset-by-admin-2027" })).StatusCode);
        var trail = (await f.As(As.Auditor).GetJson($"/api/audit?entity=User&entityId={id}"))["items"]!.AsArray();
        Assert.Contains(trail, e => (string)e!["action"]! == "Reset");
        Assert.DoesNotContain("Reset-by-admin", trail.ToJsonString());
        Assert.All(trail.Where(e => e!["after"]?["securityStamp"] is not null), e => Assert.Equal("***", (string)e!["after"]!["securityStamp"]!));
    }

    [Fact]
    public async Task There_is_always_an_active_admin_even_when_two_demote_each_other_at_once()
    {
        await using var f = await FleetFixture.StartAsync();
        var me = Make.Id(await f.As(As.Admin).GetJson("/api/me"));
        await Client.Problem(await f.As(As.Admin).Put($"/api/users/{me}", Change("Admin", active: false), null), HttpStatusCode.Conflict);
        await Client.Problem(await f.As(As.Admin).Put($"/api/users/{me}", Change("Auditor"), null), HttpStatusCode.Conflict);

        var (second, _, secondAdmin) = await Account(f, "Admin", "Second-admin-pw-2027");
        var statuses = await Together.Send(2, i => i == 0
            ? f.As(As.Admin).Put($"/api/users/{second}", Change("Auditor"), null)
            : secondAdmin.Put($"/api/users/{me}", Change("Auditor"), null));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        var admins = (await f.Factory.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Users, u => u.Role == Fleet.Data.Entities.Role.Admin && !u.Disabled)));
        Assert.Equal(1, admins);
    }

    [Fact]
    public async Task A_token_signed_with_the_key_but_naming_no_account_or_an_unknown_role_is_a_401_not_a_500()
    {
        await using var f = await FleetFixture.StartAsync();
        var handler = new JsonWebTokenHandler();
        string Token(params Claim[] claims) => handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "fleet",
            Audience = "fleet-api",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a-signing-key-for-tests-only-0123456789abcdef")), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(claims),
        });
        var me = Make.Id(await f.As(As.Admin).GetJson("/api/me"));
        foreach (var token in new[]
        {
            Token(new Claim("name", "admin"), new Claim("role", "Admin")),
            Token(new Claim("sub", me.ToString()), new Claim("name", "admin"), new Claim("role", "Boss")),
            Token(new Claim("sub", me.ToString()), new Claim("name", "admin"), new Claim("role", "7")),
            Token(new Claim("sub", me.ToString()), new Claim("name", "admin"), new Claim("role", "Admin")),
            Token(new Claim("sub", Guid.NewGuid().ToString()), new Claim("name", "ghost"), new Claim("role", "Admin"), new Claim("stamp", "x")),
        })
        {
            var client = f.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/violations")).StatusCode);
        }
    }

    [Fact]
    public async Task The_token_answer_is_never_cached()
    {
        await using var f = await FleetFixture.StartAsync();
        var response = await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task The_right_password_from_another_address_signs_in_while_the_first_address_is_held_back()
    {
        using var factory = new FleetFactory(null, new() { ["urls"] = "http://127.0.0.1:0" });
        factory.UseKestrel();
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        HttpClient From(string local) => new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(local), 0));
                await socket.ConnectAsync(IPAddress.Loopback, address.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = address };

        using var stranger = From("127.0.0.1");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "guess-" + i })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).StatusCode);

        using var desk = From("127.0.0.2");
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).StatusCode);
    }
}
