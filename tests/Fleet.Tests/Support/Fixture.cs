using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Fleet.Tests.Support;

/// <summary>
/// One Fleet instance shared by a test class, with two units (A and B) and one signed-in user per role.
/// The VehicleAdmin belongs to unit A; OtherVehicleAdmin to unit B.
/// </summary>
public class FleetFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>A fixture of a test's own, for scenarios that move the clock or count every record.</summary>
    public static async Task<FleetFixture> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var fixture = new FleetFixture(settings);
        await fixture.InitializeAsync();
        return fixture;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public FleetFixture() : this(null) { }

    private FleetFixture(Dictionary<string, string?>? settings) => Factory = new FleetFactory(null, settings);

    public FleetFactory Factory { get; }
    public Guid UnitA { get; private set; }
    public Guid UnitB { get; private set; }
    private readonly Dictionary<As, string> tokens = [];
    private readonly Dictionary<As, (string Username, string Password)> accounts = [];

    /// <summary>Who each role's test user is, to sign in on the pages.</summary>
    public (string Username, string Password) Account(As who) => accounts[who];
    private static int serial;

    public async Task InitializeAsync()
    {
        var admin = await SignIn("admin", FleetFactory.AdminPassword);
        tokens[Support.As.Admin] = admin;
        accounts[Support.As.Admin] = ("admin", FleetFactory.AdminPassword);
        var api = As(Support.As.Admin);
        UnitA = (Guid)(await api.CreateUnit(Code("UA"), quota: 1000))["id"]!;
        UnitB = (Guid)(await api.CreateUnit(Code("UB"), quota: 1000))["id"]!;
        tokens[Support.As.VehicleAdmin] = await CreateUser(api, "VehicleAdmin", UnitA, Support.As.VehicleAdmin);
        tokens[Support.As.OtherVehicleAdmin] = await CreateUser(api, "VehicleAdmin", UnitB, Support.As.OtherVehicleAdmin);
        tokens[Support.As.Inspector] = await CreateUser(api, "Inspector", null, Support.As.Inspector);
        tokens[Support.As.Auditor] = await CreateUser(api, "Auditor", null, Support.As.Auditor);
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    public Client As(As who)
    {
        var api = new Client(Factory, Factory.CreateClient());
        if (who != Support.As.Anonymous) api.UseToken(tokens[who]);
        return api;
    }

    public static string Code(string prefix) => $"{prefix}{Interlocked.Increment(ref serial):D4}{Random.Shared.Next(1000):D3}";

    private async Task<string> CreateUser(Client admin, string role, Guid? unitId, As who)
    {
        var username = Code(role.ToLowerInvariant());
        const string password = "a-long-test-password";
        accounts[who] = (username, password);
        await Client.Read(await admin.Post("/api/users", new { username, password, role, unitId }), HttpStatusCode.Created);
        return await SignIn(username, password);
    }

    private async Task<string> SignIn(string username, string password)
    {
        var response = await Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });
        var token = await Client.Read(response, HttpStatusCode.OK);
        return (string)token["accessToken"]!;
    }
}

/// <summary>Valid, unique plates and VINs for tests.</summary>
public static class Make
{
    private static int next = Random.Shared.Next(10_000, 50_000);
    private const string Alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

    public static string Plate()
    {
        var n = Interlocked.Increment(ref next);
        return "粤B" + Base(n, 5, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789");
    }

    public static string Vin()
    {
        var n = Interlocked.Increment(ref next);
        var body = "LFV" + Base(n, 5, Alphabet) + "0" + "A" + Base(Random.Shared.Next(), 7, Alphabet);
        return body[..8] + global::Fleet.Api.Features.Vehicles.Vins.CheckDigit(body) + body[9..];
    }

    private static string Base(int n, int width, string alphabet)
    {
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--) { chars[i] = alphabet[n % alphabet.Length]; n /= alphabet.Length; }
        return new string(chars);
    }

    public static Dictionary<string, object?> Vehicle(Guid unitId, Action<Dictionary<string, object?>>? change = null)
    {
        var v = new Dictionary<string, object?>
        {
            ["plateNumber"] = Plate(),
            ["vin"] = Vin(),
            ["make"] = "一汽大众",
            ["model"] = "帕萨特",
            ["category"] = "General",
            ["engineDisplacement"] = 1.4m,
            ["purchasePrice"] = 150000m,
            ["acquiredOn"] = "2024-05-01",
            ["source"] = "Allocated",
            ["unitId"] = unitId,
        };
        change?.Invoke(v);
        return v;
    }

    public static Guid Id(JsonNode node) => (Guid)node["id"]!;
}
