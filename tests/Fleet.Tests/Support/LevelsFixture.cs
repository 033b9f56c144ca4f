using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Fleet.Tests.Support;

/// <summary>Where a person of the levels tests works.</summary>
public enum Place { Province, CityA, CityB, DistrictA }

/// <summary>
/// A province's deployment (root 370000 山东省) with two cities, 济南市 (A) and 青岛市 (B), and a district of A, 历下区;
/// a unit in the district, one directly under city A and one in city B, each with a car; an Admin, Inspector and
/// Auditor at each place, and the district unit's vehicle administrator.
/// </summary>
public sealed class LevelsFixture : IAsyncLifetime
{
    public FleetFactory Factory { get; } = new(null, new() { ["Fleet:Region:Code"] = "370000", ["Fleet:Region:Name"] = "山东省" });
    public Dictionary<Place, Guid> Regions { get; } = [];
    public Guid UnitDistrictA { get; private set; }
    public Guid UnitCityA { get; private set; }
    public Guid UnitB { get; private set; }
    public Guid CarDistrictA { get; private set; }
    public Guid CarCityA { get; private set; }
    public Guid CarB { get; private set; }
    public string PlateDistrictA { get; private set; } = "";
    private readonly Dictionary<(Place, string), string> tokens = [];
    private string unitAdmin = "";
    public Dictionary<(Place, string), (Guid Id, string Username)> Users { get; } = [];
    public const string Password = "a-long-levels-password";

    public async Task InitializeAsync()
    {
        var root = await SignIn("admin", FleetFactory.AdminPassword);
        tokens[(Place.Province, "Admin")] = root;
        var admin = Token(root);
        Regions[Place.Province] = (Guid)(await admin.GetJson("/api/regions"))[0]!["id"]!;
        Regions[Place.CityA] = await Region(admin, "370100", "济南市", "City", Regions[Place.Province]);
        Regions[Place.CityB] = await Region(admin, "370200", "青岛市", "City", Regions[Place.Province]);
        Regions[Place.DistrictA] = await Region(admin, "370102", "历下区", "County", Regions[Place.CityA]);
        UnitDistrictA = await Unit(admin, "LX", Regions[Place.DistrictA]);
        UnitCityA = await Unit(admin, "JN", Regions[Place.CityA]);
        UnitB = await Unit(admin, "QD", Regions[Place.CityB]);
        var car = Make.Vehicle(UnitDistrictA);
        PlateDistrictA = (string)car["plateNumber"]!;
        CarDistrictA = Make.Id(await admin.RegisterVehicle(car));
        CarCityA = Make.Id(await admin.RegisterVehicle(Make.Vehicle(UnitCityA)));
        CarB = Make.Id(await admin.RegisterVehicle(Make.Vehicle(UnitB)));
        foreach (var place in Enum.GetValues<Place>())
            foreach (var role in new[] { "Admin", "Inspector", "Auditor" })
            {
                if (place == Place.Province && role == "Admin") continue;
                var username = FleetFixture.Code($"{place}{role}".ToLowerInvariant());
                var user = await Client.Read(await admin.Post("/api/users", new { username, password = Password, role, regionId = Regions[place] }), HttpStatusCode.Created);
                Users[(place, role)] = (Make.Id(user), username);
                tokens[(place, role)] = await SignIn(username, Password);
            }
        unitAdmin = FleetFixture.Code("lxvadmin");
        await Client.Read(await admin.Post("/api/users", new { username = unitAdmin, password = Password, role = "VehicleAdmin", unitId = UnitDistrictA }), HttpStatusCode.Created);
        tokens[(Place.DistrictA, "VehicleAdmin")] = await SignIn(unitAdmin, Password);
    }

    public Client As(Place place, string role) => Token(tokens[(place, role)]);

    /// <summary>A browser-like client (cookies, no automatic redirects) of the person at the place, signed in on the login page.</summary>
    public Task<HttpClient> Pages(Place place, string role) => (place, role) == (Place.Province, "Admin")
        ? PagesOf("admin", FleetFactory.AdminPassword)
        : PagesOf(Users[(place, role)].Username);

    /// <summary>The district unit's vehicle administrator, signed in on the login page.</summary>
    public Task<HttpClient> UnitAdminPages() => PagesOf(unitAdmin);

    private Task<HttpClient> PagesOf(string username, string password = Password) => PageForms.SignedIn(Factory, username, password);

    public Client Token(string token)
    {
        var api = new Client(Factory, Factory.CreateClient());
        api.UseToken(token);
        return api;
    }

    public Task<string> SignIn(string username, string password = Password) => SignInAs(username, password);

    private async Task<string> SignInAs(string username, string password)
    {
        var response = await Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });
        return (string)(await Client.Read(response, HttpStatusCode.OK))["accessToken"]!;
    }

    private static async Task<Guid> Region(Client admin, string code, string name, string level, Guid parentId) =>
        Make.Id(await Client.Read(await admin.Post("/api/regions", new { code, name, level, parentId }), HttpStatusCode.Created));

    private static async Task<Guid> Unit(Client admin, string prefix, Guid regionId)
    {
        var code = FleetFixture.Code(prefix);
        return Make.Id(await Client.Read(await admin.Post("/api/units",
            new { code, name = "单位 " + code, kind = "Department", vehicleQuota = 50, regionId }), HttpStatusCode.Created));
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
