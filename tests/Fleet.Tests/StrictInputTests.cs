using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>
/// Values that .NET would read as something else, and texts that would read differently from what they hold: each is a
/// 400 naming the field, nothing is written, and every list still reads afterwards.
/// </summary>
public class StrictInputTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    /// <summary>Combinations (read as flags, some adding up to a real value), numbers, other cases and padding.</summary>
    public static TheoryData<string> NotNames => ["PrivateUse, OffSiteParking", "PrivateUse,OffSiteParking", "3", "privateuse", " PrivateUse", "PrivateUse ", "+3", "-1"];

    [Theory]
    [MemberData(nameof(NotNames))]
    public async Task A_finding_that_is_not_exactly_a_name_is_refused_and_the_lists_still_read(string finding)
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var before = (int)(await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["total"]!;
        var body = await Client.Problem(await inspector.Post("/api/spot-checks", new
        {
            vehicleId = vehicle,
            checkedAt = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
            location = "地下停车场",
            finding,
        }), HttpStatusCode.BadRequest, "finding");
        Assert.Contains("Compliant, SealBroken, VehicleMissing, PrivateUse, OffSiteParking, UnregisteredVehicle, Other", body["errors"]!["finding"]![0]!.ToString());
        Assert.Equal(before, (int)(await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["total"]!);
        Assert.Equal(HttpStatusCode.OK, (await fleet.As(As.Auditor).Get("/api/reports/spot-checks.xlsx")).StatusCode);
    }

    public static TheoryData<string, string, string> Bodies => new()
    {
        // A role that adds up to Inspector, a category that adds up to Emergency (exempt from sealing).
        { "/api/users", "role", "Admin, Inspector" },
        { "/api/vehicles", "category", "LawEnforcement, SpecialPurpose" },
        { "/api/units", "kind", "Department, Institution" },
        { "/api/violations", "type", "PrivateUse, OffSiteParking" },
        { "/api/recoveries", "reason", "OverQuota, Other" },
        { "/api/vehicles", "source", "1" },
        { "/api/users", "role", "admin" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task An_enum_in_a_body_takes_its_names_only(string path, string field, string value)
    {
        var admin = fleet.As(As.Admin);
        var body = path switch
        {
            "/api/users" => new JsonObject { ["username"] = "u" + FleetFixture.Code(""), ["password"] = "Strong-enough-2027-x", ["role"] = "Auditor" },
            "/api/vehicles" => JsonSerializerNode(Make.Vehicle(fleet.UnitA)),
            "/api/units" => new JsonObject { ["code"] = FleetFixture.Code("S"), ["name"] = "单位", ["kind"] = "Department", ["vehicleQuota"] = 2 },
            "/api/violations" => new JsonObject { ["type"] = "Other", ["unitId"] = fleet.UnitA, ["notes"] = "x" },
            _ => new JsonObject
            {
                ["campaignId"] = Make.Id(await Client.Read(await admin.Post("/api/campaigns", new { name = "S" + FleetFixture.Code(""), startsOn = "2026-01-01", endsOn = "2026-12-31" }), HttpStatusCode.Created)),
                ["plateNumber"] = Make.Plate(),
                ["unitId"] = fleet.UnitA,
                ["reason"] = "Other",
                ["dueOn"] = "2026-12-31",
            },
        };
        body[field] = value;
        var who = path is "/api/violations" or "/api/recoveries" ? fleet.As(As.Inspector) : admin;
        var problem = await Client.Problem(await who.PostRaw(path, body.ToJsonString()), HttpStatusCode.BadRequest, field);
        Assert.Contains("Use one of:", problem["errors"]![field]![0]!.ToString());
    }

    [Theory]
    [InlineData("/api/vehicles?status=1", "status")]
    [InlineData("/api/vehicles?status=Active,Disposed", "status")]
    [InlineData("/api/vehicles?status=active", "status")]
    [InlineData("/api/violations?type=PrivateUse,%20OffSiteParking", "type")]
    [InlineData("/api/violations?status=0", "status")]
    [InlineData("/api/spot-checks?finding=3", "finding")]
    [InlineData("/api/recoveries?status=Open,Recovered", "status")]
    [InlineData("/api/usage?kind=0", "kind")]
    [InlineData("/api/reports/violations.xlsx?type=1", "type")]
    public async Task An_enum_in_a_query_takes_its_names_only(string url, string field)
    {
        var problem = await Client.Problem(await fleet.As(As.Auditor).Get(url), HttpStatusCode.BadRequest, field);
        Assert.Contains("Use one of:", problem["errors"]![field]![0]!.ToString());
    }

    [Fact]
    public async Task An_import_kind_takes_its_names_only()
    {
        var problem = await Client.Problem(await fleet.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel,Toll",
            new MultipartFormDataContent { { new ByteArrayContent("a"u8.ToArray()), "file", "a.csv" } }), HttpStatusCode.BadRequest, "kind");
        Assert.Contains("Fuel, Toll, Trip", problem["errors"]!["kind"]![0]!.ToString());
    }

    /// <summary>A NUL, an escape, a DEL, a non-character and a right-to-left override that makes 鲁A12345 read backwards.</summary>
    public static TheoryData<string, string> NotText => new()
    {
        { "location", "地下\u0000停车场" },
        { "location", "地下停车场\u001b[2J" },
        { "location", "B2\u007f层" },
        { "location", "B2\uffff层" },
        { "location", "\u202e54321A鲁" },
        { "location", "B2\u2066层" },
        { "location", "B2\n层" },
        { "notes", "车辆\u0007停放" },
        { "notes", "看到\u202d" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task Control_characters_and_direction_overrides_are_refused_naming_the_field(string field, string escaped)
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var body = new JsonObject
        {
            ["vehicleId"] = vehicle,
            ["checkedAt"] = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
            ["location"] = "LOCATION",
            ["finding"] = "Compliant",
            ["notes"] = "NOTES",
        };
        // Escaped in the JSON text itself, as a hostile client sends them.
        var json = body.ToJsonString().Replace(field == "location" ? "LOCATION" : "NOTES", escaped).Replace("LOCATION", "B2").Replace("NOTES", "ok");
        await Client.Problem(await inspector.PostRaw("/api/spot-checks", json), HttpStatusCode.BadRequest, field);
        Assert.Equal(0, (int)(await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["total"]!);
    }

    [Fact]
    public async Task A_note_keeps_its_line_breaks_and_tabs_but_a_name_does_not()
    {
        var inspector = fleet.As(As.Inspector);
        var note = await Client.Read(await inspector.PostRaw("/api/violations",
            new JsonObject { ["type"] = "Other", ["unitId"] = fleet.UnitA, ["notes"] = "第一行\n第二行\t备注" }.ToJsonString()), HttpStatusCode.Created);
        Assert.Equal("第一行\n第二行\t备注", (string)note["notes"]!);
        var violation = Make.Id(note);
        await Client.Problem(await inspector.Post($"/api/violations/{violation}/actions", new { personName = "张\n三", position = "科长", action = "Reminder" }),
            HttpStatusCode.BadRequest, "personName");
        await Client.Problem(await fleet.As(As.Admin).Post("/api/units", new { code = FleetFixture.Code("T"), name = "单位\u202e", kind = "Department", vehicleQuota = 1 }),
            HttpStatusCode.BadRequest, "name");
        await Client.Problem(await fleet.As(As.Admin).Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["model"] = "帕萨特\u0000")), HttpStatusCode.BadRequest, "model");
        Assert.Empty((await inspector.GetJson($"/api/violations/{violation}"))["actions"]!.AsArray());
    }

    private static JsonObject JsonSerializerNode(Dictionary<string, object?> values) =>
        System.Text.Json.JsonSerializer.SerializeToNode(values, Client.Json)!.AsObject();
}
