using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>
/// Levels (分级管理): everyone works in their region's subtree. A city reads its districts and not another city; a
/// district reads only itself; outside one's subtree a record does not exist, and a conflict with it names nothing.
/// </summary>
public sealed class LevelsTests(LevelsFixture levels) : IClassFixture<LevelsFixture>
{
    [Fact]
    public async Task A_city_reads_its_districts_and_not_another_city()
    {
        var city = levels.As(Place.CityA, "Inspector");
        Assert.Equal(HttpStatusCode.OK, (await city.Get($"/api/vehicles/{levels.CarDistrictA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await city.Get($"/api/vehicles/{levels.CarCityA}")).StatusCode);
        await Client.Problem(await city.Get($"/api/vehicles/{levels.CarB}"), HttpStatusCode.NotFound);
        var listed = (await city.GetJson("/api/vehicles?pageSize=200"))["items"]!.AsArray().Select(v => (Guid)v!["id"]!).ToList();
        Assert.Contains(levels.CarDistrictA, listed);
        Assert.Contains(levels.CarCityA, listed);
        Assert.DoesNotContain(levels.CarB, listed);

        var district = levels.As(Place.DistrictA, "Auditor");
        await Client.Problem(await district.Get($"/api/vehicles/{levels.CarCityA}"), HttpStatusCode.NotFound);
        var units = (await district.GetJson("/api/units?pageSize=200"))["items"]!.AsArray().Select(u => (Guid)u!["id"]!).ToList();
        Assert.Equal([levels.UnitDistrictA], units);

        var province = levels.As(Place.Province, "Auditor");
        var all = (await province.GetJson("/api/vehicles?pageSize=200"))["items"]!.AsArray().Select(v => (Guid)v!["id"]!).ToList();
        Assert.Contains(levels.CarB, all);
        Assert.Contains(levels.CarDistrictA, all);
    }

    [Fact]
    public async Task A_record_outside_the_subtree_answers_as_one_that_does_not_exist()
    {
        var district = levels.As(Place.DistrictA, "Inspector");
        var checkedAt = levels.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5);
        async Task<(HttpStatusCode, string?)> Check(Guid vehicleId)
        {
            var response = await district.Post("/api/spot-checks", new { vehicleId, checkedAt, location = "地下车库", finding = "Compliant" });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, (string?)body?["code"]);
        }
        var outside = await Check(levels.CarB);
        var missing = await Check(Guid.NewGuid());
        Assert.True(outside.Item1 is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{outside}");
        Assert.Equal(missing, outside);
        var inside = await district.Post("/api/spot-checks", new { vehicleId = levels.CarDistrictA, checkedAt, location = "地下车库", finding = "Compliant" });
        Assert.Equal(HttpStatusCode.Created, inside.StatusCode);
        // The city sees its district's check; the other city does not.
        var checks = await levels.As(Place.CityA, "Auditor").GetJson("/api/spot-checks?pageSize=200");
        Assert.Contains(checks["items"]!.AsArray(), c => (Guid?)c!["vehicleId"] == levels.CarDistrictA);
        var other = await levels.As(Place.CityB, "Auditor").GetJson("/api/spot-checks?pageSize=200");
        Assert.DoesNotContain(other["items"]!.AsArray(), c => (Guid?)c!["vehicleId"] == levels.CarDistrictA);
    }

    [Fact]
    public async Task A_plate_held_in_another_city_is_refused_without_naming_where()
    {
        var cityB = levels.As(Place.CityB, "Admin");
        var response = await cityB.Post("/api/vehicles", Make.Vehicle(levels.UnitB, v => v["plateNumber"] = levels.PlateDistrictA));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain(levels.UnitDistrictA.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(levels.CarDistrictA.ToString(), body, StringComparison.OrdinalIgnoreCase);
        // The district unit's code (LX and seven digits): not a random VIN that happens to hold the letters LX.
        Assert.DoesNotMatch(@"LX\d{7}", body);
        Assert.DoesNotContain("历下", body);
    }

    [Fact]
    public async Task An_admin_builds_only_inside_their_own_region()
    {
        var cityA = levels.As(Place.CityA, "Admin");
        var regions = (await cityA.GetJson("/api/regions")).AsArray().Select(r => (string)r!["code"]!).ToList();
        Assert.Equal(["370100", "370102"], regions);
        // Not below another city, not at the province, never a wider scope than their own.
        await Client.Problem(await cityA.Post("/api/regions", new { code = "370203", name = "市北区", level = "County", parentId = levels.Regions[Place.CityB] }), HttpStatusCode.Forbidden);
        await Client.Problem(await cityA.Post("/api/units", new { code = FleetFixture.Code("X"), name = "单位", kind = "Department", vehicleQuota = 1, regionId = levels.Regions[Place.CityB] }), HttpStatusCode.Forbidden);
        await Client.Problem(await cityA.Post("/api/users", new { username = FleetFixture.Code("wide"), password = LevelsFixture.Password, role = "Inspector", regionId = levels.Regions[Place.Province] }), HttpStatusCode.Forbidden);
        await Client.Problem(await cityA.Post("/api/users", new { username = FleetFixture.Code("va"), password = LevelsFixture.Password, role = "VehicleAdmin", unitId = levels.UnitB }), HttpStatusCode.Forbidden);
        await Client.Problem(await cityA.Post("/api/regions", new { code = "370201", name = "错", level = "County", parentId = levels.Regions[Place.CityA] }), HttpStatusCode.BadRequest, "code");
        // Inside: a new district of the city, a unit in it, an inspector there (by default at the Admin's own region).
        var district = Make.Id(await Client.Read(await cityA.Post("/api/regions", new { code = "370105", name = "天桥区", level = "County", parentId = levels.Regions[Place.CityA] }), HttpStatusCode.Created));
        var unit = await Client.Read(await cityA.Post("/api/units", new { code = FleetFixture.Code("TQ"), name = "天桥区财政局", kind = "Department", vehicleQuota = 3, regionId = district }), HttpStatusCode.Created);
        Assert.Equal("天桥区", (string)unit["regionName"]!);
        var inspector = await Client.Read(await cityA.Post("/api/users", new { username = FleetFixture.Code("tq"), password = LevelsFixture.Password, role = "Inspector" }), HttpStatusCode.Created);
        Assert.Equal(levels.Regions[Place.CityA], (Guid)inspector["regionId"]!);
        // The other city never sees them.
        await Client.Problem(await levels.As(Place.CityB, "Admin").Get($"/api/regions/{district}"), HttpStatusCode.NotFound);
        await Client.Problem(await levels.As(Place.CityB, "Admin").Get($"/api/units/{Make.Id(unit)}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Moving_a_person_to_another_region_ends_their_tokens()
    {
        var admin = levels.As(Place.Province, "Admin");
        var username = FleetFixture.Code("mover");
        var user = Make.Id(await Client.Read(await admin.Post("/api/users", new { username, password = LevelsFixture.Password, role = "Auditor", regionId = levels.Regions[Place.CityA] }), HttpStatusCode.Created));
        var token = levels.Token(await levels.SignIn(username));
        Assert.Equal(HttpStatusCode.OK, (await token.Get($"/api/vehicles/{levels.CarCityA}")).StatusCode);
        await Client.Read(await admin.Put($"/api/users/{user}", new { role = "Auditor", active = true, regionId = levels.Regions[Place.CityB] }, null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.Get($"/api/vehicles/{levels.CarCityA}")).StatusCode);
        var moved = levels.Token(await levels.SignIn(username));
        await Client.Problem(await moved.Get($"/api/vehicles/{levels.CarCityA}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await moved.Get($"/api/vehicles/{levels.CarB}")).StatusCode);
        Assert.Equal(levels.Regions[Place.CityB], (Guid)(await moved.GetJson("/api/me"))["regionId"]!);
    }

    [Fact]
    public async Task Moving_a_unit_to_another_region_moves_its_vehicle_administrators_and_ends_their_tokens()
    {
        var admin = levels.As(Place.Province, "Admin");
        var code = FleetFixture.Code("MV");
        var unit = Make.Id(await Client.Read(await admin.Post("/api/units",
            new { code, name = "迁移单位", kind = "Department", vehicleQuota = 5, regionId = levels.Regions[Place.DistrictA] }), HttpStatusCode.Created));
        var username = FleetFixture.Code("mover-va");
        await Client.Read(await admin.Post("/api/users", new { username, password = LevelsFixture.Password, role = "VehicleAdmin", unitId = unit }), HttpStatusCode.Created);
        var token = levels.Token(await levels.SignIn(username));
        Assert.Equal(levels.Regions[Place.DistrictA], (Guid)(await token.GetJson("/api/me"))["regionId"]!);

        await Client.Read(await admin.Put($"/api/units/{unit}",
            new { code, name = "迁移单位", kind = "Department", vehicleQuota = 5, regionId = levels.Regions[Place.CityB] }, null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.Get("/api/me")).StatusCode);
        var moved = levels.Token(await levels.SignIn(username));
        Assert.Equal(levels.Regions[Place.CityB], (Guid)(await moved.GetJson("/api/me"))["regionId"]!);
        // The city it left no longer lists the person; the city it joined does.
        var users = (await levels.As(Place.CityA, "Admin").GetJson("/api/users?pageSize=200"))["items"]!.AsArray();
        Assert.DoesNotContain(users, u => (string)u!["username"]! == username);
        users = (await levels.As(Place.CityB, "Admin").GetJson("/api/users?pageSize=200"))["items"]!.AsArray();
        Assert.Contains(users, u => (string)u!["username"]! == username);
    }

    [Fact]
    public async Task Holidays_are_kept_at_the_root_and_a_district_publishes_for_itself()
    {
        await Client.Problem(await levels.As(Place.CityA, "Admin").Post("/api/holidays", new { name = "国庆节", firstDay = "2027-10-01", lastDay = "2027-10-07" }), HttpStatusCode.Forbidden);
        var holiday = await levels.As(Place.Province, "Admin").CreateHoliday(inDays: 20);
        var district = levels.As(Place.DistrictA, "Admin");
        var schedule = await Client.Read(await district.Post("/api/sealup-schedules", new { holidayId = Make.Id(holiday) }), HttpStatusCode.Created);
        Assert.Equal(levels.Regions[Place.DistrictA], (Guid)schedule["regionId"]!);
        var id = Make.Id(schedule);
        var orders = await levels.As(Place.Province, "Auditor").GetJson($"/api/sealup-schedules/{id}/orders?pageSize=200");
        Assert.Equal([levels.CarDistrictA], orders["items"]!.AsArray().Select(o => (Guid)o!["vehicleId"]!));
        // The city above sees it; the other city does not know it.
        Assert.Equal(HttpStatusCode.OK, (await levels.As(Place.CityA, "Inspector").Get($"/api/sealup-schedules/{id}")).StatusCode);
        await Client.Problem(await levels.As(Place.CityB, "Inspector").Get($"/api/sealup-schedules/{id}"), HttpStatusCode.NotFound);
        // The city cannot publish the same holiday over its district again.
        await Client.Problem(await levels.As(Place.CityA, "Admin").Post("/api/sealup-schedules", new { holidayId = Make.Id(holiday) }), HttpStatusCode.Conflict);
        // Another city can, for its own units only.
        var cityB = Make.Id(await Client.Read(await levels.As(Place.CityB, "Admin").Post("/api/sealup-schedules", new { holidayId = Make.Id(holiday) }), HttpStatusCode.Created));
        var theirs = await levels.As(Place.Province, "Auditor").GetJson($"/api/sealup-schedules/{cityB}/orders?pageSize=200");
        Assert.Equal([levels.CarB], theirs["items"]!.AsArray().Select(o => (Guid)o!["vehicleId"]!));
    }

    [Fact]
    public async Task A_city_sees_its_districts_side_by_side_and_nothing_of_another_city()
    {
        var auditor = levels.As(Place.CityA, "Auditor");
        var summary = await auditor.GetJson($"/api/regions/{levels.Regions[Place.CityA]}/summary");
        Assert.Equal("370100", (string)summary["region"]!["code"]!);
        var child = summary["children"]!.AsArray().Single(c => (string)c!["code"]! == "370102")!;
        Assert.True((int)child["figures"]!["vehicles"]! >= 1);
        Assert.Equal(1, (int)child["figures"]!["units"]!);
        Assert.Contains(summary["units"]!.AsArray(), u => (Guid)u!["unitId"]! == levels.UnitCityA);
        Assert.DoesNotContain(summary["units"]!.AsArray(), u => (Guid)u!["unitId"]! == levels.UnitB);
        Assert.Equal((int)summary["totals"]!["units"]!, summary["units"]!.AsArray().Count + summary["children"]!.AsArray().Sum(c => (int)c!["figures"]!["units"]!));
        await Client.Problem(await auditor.Get($"/api/regions/{levels.Regions[Place.CityB]}/summary"), HttpStatusCode.NotFound);
        await Client.Problem(await auditor.Get($"/api/regions/{levels.Regions[Place.Province]}/summary"), HttpStatusCode.NotFound);
        var province = await levels.As(Place.Province, "Auditor").GetJson($"/api/regions/{levels.Regions[Place.Province]}/summary");
        Assert.Equal(["370100", "370200"], province["children"]!.AsArray().Select(c => (string)c!["code"]!));
        Assert.Null(province["totals"]!["recovery"]!["rate"]);
    }

    [Fact]
    public async Task The_home_page_shows_the_region_and_drills_down_to_a_district_but_not_into_another_city()
    {
        using var auditor = await levels.Pages(Place.CityA, "Auditor");
        var home = await auditor.GetStringAsync("/");
        Assert.Contains("全市概况 · 济南市", home);
        Assert.Contains($"href=\"/?region={levels.Regions[Place.DistrictA]}\"", home);
        Assert.DoesNotContain("青岛市", home);
        var district = await auditor.GetStringAsync($"/?region={levels.Regions[Place.DistrictA]}");
        Assert.Contains("全区概况 · 历下区", district);
        Assert.Contains("返回本级", district);
        var other = await auditor.GetStringAsync($"/?region={levels.Regions[Place.CityB]}");
        Assert.Contains("未找到该行政区划", other);
        Assert.DoesNotContain("青岛市", other);
        var regions = await auditor.GetStringAsync("/regions");
        Assert.Contains("历下区", regions);
        Assert.DoesNotContain("青岛市", regions);
    }

    [Fact]
    public async Task A_district_inspectors_pages_list_only_the_district()
    {
        using var inspector = await levels.Pages(Place.DistrictA, "Inspector");
        var vehicles = await inspector.GetStringAsync("/vehicles");
        var cityB = await levels.As(Place.Province, "Auditor").GetJson($"/api/vehicles/{levels.CarB}");
        var cityA = await levels.As(Place.Province, "Auditor").GetJson($"/api/vehicles/{levels.CarCityA}");
        Assert.Contains(levels.PlateDistrictA, vehicles);
        Assert.DoesNotContain((string)cityB["plateNumber"]!, vehicles);
        Assert.DoesNotContain((string)cityA["plateNumber"]!, vehicles);
        var outside = await inspector.GetAsync($"/vehicles/{levels.CarB}/edit");
        Assert.NotEqual(HttpStatusCode.OK, outside.StatusCode);
    }

    [Fact]
    public async Task Before_the_deadline_the_home_page_shows_sealing_progress_not_a_failing_rate()
    {
        var holiday = await levels.As(Place.Province, "Admin").CreateHoliday(inDays: 40);
        await Client.Read(await levels.As(Place.CityA, "Admin").Post("/api/sealup-schedules", new { holidayId = Make.Id(holiday), unitIds = new[] { levels.UnitCityA } }), HttpStatusCode.Created);
        using var auditor = await levels.Pages(Place.CityA, "Auditor");
        var home = await auditor.GetStringAsync("/");
        Assert.Contains("封存进度", home);
        Assert.Matches("已封存 0 / 应封存 [1-9]", home);
        Assert.DoesNotContain("封存合规率<b>", home);
        var summary = await levels.As(Place.CityA, "Auditor").GetJson($"/api/regions/{levels.Regions[Place.CityA]}/summary");
        Assert.Null(summary["totals"]!["sealUp"]!["rate"]);
        Assert.True((int)summary["totals"]!["sealUp"]!["due"]! >= 1);
    }
}
