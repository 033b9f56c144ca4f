using System.Net;
using System.Text.Json.Nodes;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class VehicleTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Registering_a_vehicle_answers_201_with_its_location_and_normalised_plate()
    {
        var admin = fleet.As(As.VehicleAdmin);
        var plate = Make.Plate();
        var request = Make.Vehicle(fleet.UnitA, v => v["plateNumber"] = " " + plate[..3].ToLowerInvariant() + "·" + plate[3..].ToLowerInvariant());
        var response = await admin.Post("/api/vehicles", request);
        var body = await Client.Read(response, HttpStatusCode.Created);

        Assert.Equal(plate, (string)body["plateNumber"]!);
        Assert.Equal("Active", (string)body["status"]!);
        Assert.False((bool)body["overStandard"]!);
        Assert.EndsWith($"/api/vehicles/{body["id"]}", response.Headers.Location!.ToString());
        var read = await admin.GetJson(response.Headers.Location!.ToString());
        Assert.Equal((string)request["vin"]!, (string)read["vin"]!);
        Assert.Equal("2024-05-01", (string)read["acquiredOn"]!);
    }

    [Theory]
    [InlineData("粤B12345")]
    [InlineData("京AD12345")]
    [InlineData("沪A12345F")]
    [InlineData("粤B1234警")]
    public async Task Mainland_plates_are_accepted(string plate)
    {
        var unique = plate.Replace("12", Random.Shared.Next(10, 99).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await fleet.As(As.Admin).Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["plateNumber"] = unique));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("plateNumber", "AB12345")]
    [InlineData("plateNumber", "粤B1234")]
    [InlineData("plateNumber", "粤B1234567")]
    [InlineData("plateNumber", "粤IO1234")]
    [InlineData("vin", "LFV2A21K5A3123456")] // wrong check digit
    [InlineData("vin", "LFV2A21K0A312345")] // 16 characters
    [InlineData("vin", "LFVOA21K0A3123456")] // contains O
    [InlineData("engineDisplacement", -1)]
    [InlineData("purchasePrice", -5)]
    [InlineData("acquiredOn", "1970-01-01")]
    [InlineData("acquiredOn", "2030-01-01")]
    [InlineData("category", "Tank")]
    [InlineData("source", 1)]
    [InlineData("make", "")]
    [InlineData("unitId", null)]
    public async Task Bad_fields_are_a_400_naming_the_field_and_nothing_is_written(string field, object? value)
    {
        var before = await fleet.Factory.WrittenState();
        var request = Make.Vehicle(fleet.UnitA, v => v[field] = value);
        await Client.Problem(await fleet.As(As.Admin).Post("/api/vehicles", request), HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Overlong_strings_unknown_fields_wrong_types_and_malformed_json_are_400s()
    {
        var admin = fleet.As(As.Admin);
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["model"] = new string('x', 65))), HttpStatusCode.BadRequest, "model");
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["status"] = "Disposed")), HttpStatusCode.BadRequest, "status");
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["purchasePrice"] = "lots")), HttpStatusCode.BadRequest, "purchasePrice");
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["acquiredOn"] = "2024-13-45")), HttpStatusCode.BadRequest, "acquiredOn");
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["unitId"] = "not-a-guid")), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await admin.PostRaw("/api/vehicles", "{\"plateNumber\": \"粤B"), HttpStatusCode.BadRequest);
        await Client.Problem(await admin.PostRaw("/api/vehicles", ""), HttpStatusCode.BadRequest);
        await Client.Problem(await admin.PostRaw("/api/vehicles", "[1,2]"), HttpStatusCode.BadRequest);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task An_unknown_unit_is_a_400_on_unitId()
    {
        var response = await fleet.As(As.Admin).Post("/api/vehicles", Make.Vehicle(Guid.NewGuid()));
        await Client.Problem(response, HttpStatusCode.BadRequest, "unitId");
    }

    [Fact]
    public async Task A_plate_or_vin_already_registered_is_a_409()
    {
        var admin = fleet.As(As.Admin);
        var first = Make.Vehicle(fleet.UnitA);
        await admin.RegisterVehicle(first);
        var before = await fleet.Factory.WrittenState();

        var samePlate = Make.Vehicle(fleet.UnitB, v => v["plateNumber"] = ((string)first["plateNumber"]!).Insert(3, " "));
        await Client.Problem(await admin.Post("/api/vehicles", samePlate), HttpStatusCode.Conflict);
        var sameVin = Make.Vehicle(fleet.UnitB, v => v["vin"] = ((string)first["vin"]!).ToLowerInvariant());
        await Client.Problem(await admin.Post("/api/vehicles", sameVin), HttpStatusCode.Conflict);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Get_gives_an_etag_and_put_needs_if_match()
    {
        var admin = fleet.As(As.VehicleAdmin);
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var get = await admin.Get($"/api/vehicles/{id}");
        var etag = get.Headers.ETag!.ToString();
        var vehicle = await Client.Read(get, HttpStatusCode.OK);
        var change = Edit(vehicle, v => v["model"] = "迈腾");

        await Client.Problem(await admin.Put($"/api/vehicles/{id}", change, ifMatch: null), (HttpStatusCode)428);
        await Client.Problem(await admin.Put($"/api/vehicles/{id}", change, ifMatch: "\"999\""), HttpStatusCode.PreconditionFailed);
        var ok = await admin.Put($"/api/vehicles/{id}", change, etag);
        var updated = await Client.Read(ok, HttpStatusCode.OK);
        Assert.Equal("迈腾", (string)updated["model"]!);
        Assert.NotEqual(etag, ok.Headers.ETag!.ToString());
        // The old ETag is now stale.
        await Client.Problem(await admin.Put($"/api/vehicles/{id}", change, etag), HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_fuel_card_is_one_cars_kept_by_an_edit_that_does_not_name_it_and_removed_by_an_empty_one()
    {
        var admin = fleet.As(As.VehicleAdmin);
        var card = "9" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var spaced = string.Join(" ", card.Chunk(4).Select(c => new string(c)));
        var vehicle = await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = spaced));
        Assert.Equal(card, (string)vehicle["fuelCardNumber"]!);
        var id = Make.Id(vehicle);

        // Another car with the same card: 409 naming the car that holds it; a malformed card: 400 naming the field.
        var clash = await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = card)), HttpStatusCode.Conflict);
        Assert.Contains((string)vehicle["plateNumber"]!, (string)clash["detail"]!);
        await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = "12*45")), HttpStatusCode.BadRequest, "fuelCardNumber");

        // A client of v1 edits without the field: the card stays. An empty one removes it.
        var get = await admin.Get($"/api/vehicles/{id}");
        var edited = await Client.Read(await admin.Put($"/api/vehicles/{id}", Edit(await Client.Read(get, HttpStatusCode.OK), v => v["model"] = "帕萨特"),
            get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        Assert.Equal(("帕萨特", card), ((string)edited["model"]!, (string?)edited["fuelCardNumber"]));
        get = await admin.Get($"/api/vehicles/{id}");
        edited = await Client.Read(await admin.Put($"/api/vehicles/{id}", Edit(await Client.Read(get, HttpStatusCode.OK), v => v["fuelCardNumber"] = ""),
            get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        Assert.Null((string?)edited["fuelCardNumber"]);
        // Now free for another car; and disposing of that one gives it back again.
        var next = await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = card));
        Assert.Equal(card, (string)next["fuelCardNumber"]!);
        var disposed = await Client.Read(await admin.Post($"/api/vehicles/{next["id"]}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        Assert.Null((string?)disposed["fuelCardNumber"]);
        Assert.Equal(card, (string)(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = card)))["fuelCardNumber"]!);
    }

    [Fact]
    public async Task Two_puts_with_the_same_etag_one_wins_the_other_gets_412()
    {
        var admin = fleet.As(As.Admin);
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var get = await admin.Get($"/api/vehicles/{id}");
        var etag = get.Headers.ETag!.ToString();
        var vehicle = await Client.Read(get, HttpStatusCode.OK);

        var responses = await Task.WhenAll(
            admin.Put($"/api/vehicles/{id}", Edit(vehicle, v => v["model"] = "A"), etag),
            fleet.As(As.Admin).Put($"/api/vehicles/{id}", Edit(vehicle, v => v["model"] = "B"), etag));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order().ToArray());
        var winner = (string)(await Client.Read(responses.Single(r => r.IsSuccessStatusCode), HttpStatusCode.OK))["model"]!;
        Assert.Equal(winner, (string)(await admin.GetJson($"/api/vehicles/{id}"))["model"]!);
        Assert.Equal(1, await fleet.Factory.Db(db => db.AuditEntries.CountAsync(a => a.Entity == "Vehicle" && a.EntityId == id.ToString() && a.Action == "Update")));
    }

    [Fact]
    public async Task Disposing_retires_the_vehicle_and_a_second_dispose_is_a_409()
    {
        var admin = fleet.As(As.VehicleAdmin);
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        await Client.Problem(await admin.Post($"/api/vehicles/{id}/dispose", new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        var disposed = await Client.Read(await admin.Post($"/api/vehicles/{id}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        Assert.Equal("Disposed", (string)disposed["status"]!);
        await Client.Problem(await admin.Post($"/api/vehicles/{id}/dispose", new { reason = "again" }), HttpStatusCode.Conflict);
        var get = await admin.Get($"/api/vehicles/{id}");
        var vehicle = await Client.Read(get, HttpStatusCode.OK);
        await Client.Problem(await admin.Put($"/api/vehicles/{id}", Edit(vehicle, _ => { }), get.Headers.ETag!.ToString()), HttpStatusCode.Conflict);
        Assert.Equal("Disposed", (string)(await admin.GetJson($"/api/vehicles?status=Disposed&plateNumber={vehicle["plateNumber"]}"))["items"]![0]!["status"]!);
    }

    [Fact]
    public async Task Get_by_id_answers_every_field_as_the_list_does_for_new_edited_and_disposed_vehicles()
    {
        // GET /api/vehicles/{id} reads SQLite by hand; the list reads through EF. Both must say the same, field by field.
        var admin = fleet.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("READ")));
        var plain = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit)));
        var odd = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit, v =>
        {
            v["make"] = "=HYPERLINK(\"x\")";
            v["model"] = "红旗 H9 \"行政版\"";
            v["category"] = "SpecialPurpose";
            v["engineDisplacement"] = 2.45m;
            v["purchasePrice"] = 312345.67m;
            v["acquiredOn"] = "2019-12-31";
            v["source"] = "BorrowedFromEnterprise";
        })));
        var edited = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit, v => v["engineDisplacement"] = 0m)));
        var get = await admin.Get($"/api/vehicles/{edited}");
        await Client.Read(await admin.Put($"/api/vehicles/{edited}", Edit(await Client.Read(get, HttpStatusCode.OK), v => v["purchasePrice"] = 99999.5m),
            get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        var disposed = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit)));
        await Client.Read(await admin.Post($"/api/vehicles/{disposed}/dispose", new { reason = "报废：发动机损坏" }), HttpStatusCode.OK);

        var listed = (await admin.GetJson($"/api/vehicles?unitId={unit}&pageSize=10"))["items"]!.AsArray().ToDictionary(v => (Guid)v!["id"]!);
        Assert.Equal(4, listed.Count);
        foreach (var id in new[] { plain, odd, edited, disposed })
        {
            var response = await admin.Get($"/api/vehicles/{id}");
            var one = await Client.Read(response, HttpStatusCode.OK);
            Assert.Equal(listed[id]!.ToJsonString(), one.ToJsonString());
            Assert.Equal($"\"{(int)one["version"]!}\"", response.Headers.ETag!.ToString());
        }
        Assert.Equal(2.45m, (decimal)listed[odd]!["engineDisplacement"]!);
        Assert.Equal(99999.5m, (decimal)listed[edited]!["purchasePrice"]!);
        Assert.NotNull((string?)listed[disposed]!["disposedAt"]);
        await Client.Problem(await admin.Get($"/api/vehicles/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lists_filter_by_unit_status_and_plate_and_page()
    {
        var admin = fleet.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("LIST")));
        var plates = new List<string>();
        for (var i = 0; i < 3; i++) plates.Add((string)(await admin.RegisterVehicle(Make.Vehicle(unit)))["plateNumber"]!);

        var page1 = await admin.GetJson($"/api/vehicles?unitId={unit}&pageSize=2&page=1");
        var page2 = await admin.GetJson($"/api/vehicles?unitId={unit}&pageSize=2&page=2");
        Assert.Equal(3, (int)page1["total"]!);
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        Assert.Single(page2["items"]!.AsArray());
        Assert.Equal(plates.Order(), page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(v => (string)v!["plateNumber"]!));
        var byPlate = await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plates[1].ToLowerInvariant())}");
        Assert.Equal(plates[1], (string)byPlate["items"]![0]!["plateNumber"]!);
        Assert.Equal(0, (int)(await admin.GetJson($"/api/vehicles?unitId={unit}&status=Disposed"))["total"]!);
        await Client.Problem(await admin.Get("/api/vehicles?pageSize=501"), HttpStatusCode.BadRequest, "pageSize");
        await Client.Problem(await admin.Get("/api/vehicles?page=0"), HttpStatusCode.BadRequest, "page");
        await Client.Problem(await admin.Get("/api/vehicles?page=2147483647&pageSize=500"), HttpStatusCode.BadRequest, "page");
        await Client.Problem(await admin.Get("/api/vehicles?page=99999999999"), HttpStatusCode.BadRequest, "page");
        await Client.Problem(await admin.Get("/api/vehicles?status=Parked"), HttpStatusCode.BadRequest, "status");
        Assert.Equal(500, (int)(await admin.GetJson("/api/vehicles?pageSize=500"))["pageSize"]!);
    }

    [Fact]
    public async Task A_vehicle_admin_sees_and_changes_only_their_own_units_vehicles()
    {
        var own = Make.Id(await fleet.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var other = Make.Id(await fleet.As(As.OtherVehicleAdmin).RegisterVehicle(Make.Vehicle(fleet.UnitB)));
        var va = fleet.As(As.VehicleAdmin);

        var list = await va.GetJson("/api/vehicles?pageSize=500");
        Assert.All(list["items"]!.AsArray(), v => Assert.Equal(fleet.UnitA, (Guid)v!["unitId"]!));
        Assert.Contains(list["items"]!.AsArray(), v => (Guid)v!["id"]! == own);
        Assert.Equal(0, (int)(await va.GetJson($"/api/vehicles?unitId={fleet.UnitB}"))["total"]!);
        await Client.Problem(await va.Get($"/api/vehicles/{other}"), HttpStatusCode.NotFound);

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await va.Post("/api/vehicles", Make.Vehicle(fleet.UnitB)), HttpStatusCode.Forbidden);
        await Client.Problem(await va.Put($"/api/vehicles/{other}", Make.Vehicle(fleet.UnitB), "*"), HttpStatusCode.NotFound);
        await Client.Problem(await va.Post($"/api/vehicles/{other}/dispose", new { reason = "x" }), HttpStatusCode.NotFound);
        var mine = await va.GetJson($"/api/vehicles/{own}");
        await Client.Problem(await va.Put($"/api/vehicles/{own}", Edit(mine, v => v["unitId"] = fleet.UnitB), "*"), HttpStatusCode.Forbidden);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    public static Dictionary<string, object?> Edit(JsonNode vehicle, Action<Dictionary<string, object?>> change)
    {
        var fields = new[] { "plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitId" };
        var request = fields.ToDictionary(f => f, f => (object?)vehicle[f]?.DeepClone());
        change(request);
        return request;
    }
}
