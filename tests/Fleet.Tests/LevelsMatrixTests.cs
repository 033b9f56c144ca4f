using System.Net;
using System.Text;
using Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

/// <summary>
/// Every API route by level: called by the person of the route's role at the province (the root), at city A (济南市), at
/// city B (青岛市) and at district A (历下区, in A), and by the vehicle administrator of a unit in district A, against a
/// record in district A and against one in city B. A record outside the caller's subtree does not exist (404) or, in a
/// list, is left out; a refused call writes nothing.
/// </summary>
public sealed class LevelsMatrixTests(LevelsFixture levels) : IClassFixture<LevelsFixture>
{
    public enum Target { DistrictA, CityB }

    public enum Who { Province, CityA, CityB, DistrictA, UnitA }

    /// <param name="Role">Whom the route is for: the person of this role at each place calls it.</param>
    /// <param name="Prepare">The call against a record of the target: url, body, and for a list the id it must or must not show.</param>
    private sealed record Route(HttpMethod Method, string Role, Func<LevelsFixture, Target, Task<(string Url, object? Body, string? Marker)>> Prepare);

    /// <summary>In a list's row: 1 the target's record is listed (200), 0 it is left out (200).</summary>
    private const int Seen = 1, Absent = 0;

    private static Guid UnitOf(LevelsFixture f, Target t) => t == Target.DistrictA ? f.UnitDistrictA : f.UnitB;

    private static Guid RegionOf(LevelsFixture f, Target t) => f.Regions[t == Target.DistrictA ? Place.DistrictA : Place.CityB];

    private static Client Province(LevelsFixture f, string role) => f.As(Place.Province, role);

    private static async Task<Guid> Car(LevelsFixture f, Target t) => Make.Id(await Province(f, "Admin").RegisterVehicle(Make.Vehicle(UnitOf(f, t))));

    private static async Task<Guid> Check(LevelsFixture f, Target t, DateTime? at = null) => Make.Id(await Client.Read(await Province(f, "Inspector").Post("/api/spot-checks",
        new { vehicleId = await Car(f, t), checkedAt = at ?? f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-10), location = "大院", finding = "Compliant" }), HttpStatusCode.Created));

    private static async Task<Guid> Violation(LevelsFixture f, Target t) => Make.Id(await Client.Read(await Province(f, "Inspector").Post("/api/violations",
        new { type = "Other", unitId = UnitOf(f, t), notes = "levels" }), HttpStatusCode.Created));

    private static async Task<Guid> Campaign(LevelsFixture f, Target t) => Make.Id(await Client.Read(await Province(f, "Admin").Post("/api/campaigns",
        new { name = "L" + FleetFixture.Code(""), startsOn = "2026-01-01", endsOn = "2027-12-31", regionId = RegionOf(f, t) }), HttpStatusCode.Created));

    private static async Task<Guid> Recovery(LevelsFixture f, Target t) => Make.Id(await Client.Read(await Province(f, "Inspector").Post("/api/recoveries",
        new { campaignId = await Campaign(f, t), plateNumber = Make.Plate(), unitId = UnitOf(f, t), reason = "Unregistered", dueOn = "2027-12-31" }), HttpStatusCode.Created));

    private static async Task<(Guid Schedule, Guid Vehicle)> Schedule(LevelsFixture f, Target t)
    {
        var admin = Province(f, "Admin");
        var vehicle = await Car(f, t);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)), regionId = RegionOf(f, t) }));
        return (schedule, vehicle);
    }

    private static async Task<Guid> Exemption(LevelsFixture f, Target t)
    {
        var (schedule, vehicle) = await Schedule(f, t);
        return Make.Id(await Client.Read(await Province(f, "Admin").AskExemption(schedule, vehicle), HttpStatusCode.Created));
    }

    private static async Task<Guid> Photo(LevelsFixture f, Target t) => Make.Id(await Client.Read(await Province(f, "Inspector").Http.PostAsync("/api/evidence",
        EvidenceTests.Upload(EvidenceTests.Photo(seed: Random.Shared.Next(100)), "l.jpg", "SpotCheck", await Check(f, t))), HttpStatusCode.Created));

    private static async Task<Guid> Person(LevelsFixture f, Target t) => Make.Id(await Client.Read(await Province(f, "Admin").Post("/api/users",
        new { username = FleetFixture.Code("lv"), password = LevelsFixture.Password, role = "Auditor", regionId = RegionOf(f, t) }), HttpStatusCode.Created));

    private static async Task<(Guid Id, string Code)> NewUnit(LevelsFixture f, Target t)
    {
        var code = FleetFixture.Code("LU");
        var unit = await Client.Read(await Province(f, "Admin").Post("/api/units", new { code, name = "单位 " + code, kind = "Department", vehicleQuota = 5, regionId = RegionOf(f, t) }), HttpStatusCode.Created);
        return (Make.Id(unit), code);
    }

    private static async Task<string> UnitCode(LevelsFixture f, Target t) => (string)(await Province(f, "Admin").GetJson($"/api/units/{UnitOf(f, t)}"))["code"]!;

    /// <summary>A report of the target's region in the monthly archive: a check last month, then the archive job.</summary>
    private static async Task<Guid> Archived(LevelsFixture f, Target t)
    {
        await Check(f, t, new DateTime(2026, 12, 20, 2, 0, 0, DateTimeKind.Utc));
        await f.Factory.RunReportArchive();
        var region = RegionOf(f, t);
        return await f.Factory.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.ArchivedReports.Where(a => a.RegionId == region).Select(a => a.Id)));
    }

    private static int county = 10;

    /// <summary>A new county code below the target's city (city A for district A's target), not used before in this run.</summary>
    private static (string Code, Guid Parent) NewCounty(LevelsFixture f, Target t)
    {
        var n = Interlocked.Increment(ref county);
        return t == Target.DistrictA ? ($"3701{n:D2}", f.Regions[Place.CityA]) : ($"3702{n:D2}", f.Regions[Place.CityB]);
    }

    private static Task<(string, object?, string?)> At(string url, object? body = null, string? marker = null) => Task.FromResult((url, body, marker));

    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["POST /api/auth/token"] = new(HttpMethod.Post, "Auditor", (f, t) => At("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })),
        ["GET /api/me"] = new(HttpMethod.Get, "Auditor", (f, t) => At("/api/me")),
        ["POST /api/me/password"] = new(HttpMethod.Post, "Auditor", (f, t) => At("/api/me/password", new { currentPassword = "not-the-current-one", newPassword = "Another-strong-pw-2027" })),
        ["GET /api/regions"] = new(HttpMethod.Get, "Auditor", (f, t) => At("/api/regions", null, RegionOf(f, t).ToString())),
        ["GET /api/regions/{id}"] = new(HttpMethod.Get, "Auditor", (f, t) => At($"/api/regions/{RegionOf(f, t)}")),
        ["POST /api/regions"] = new(HttpMethod.Post, "Admin", (f, t) =>
        {
            var (code, parent) = NewCounty(f, t);
            return At("/api/regions", new { code, name = "新区", level = "County", parentId = parent });
        }),
        ["PUT /api/regions/{id}"] = new(HttpMethod.Put, "Admin", (f, t) => At($"/api/regions/{RegionOf(f, t)}", new { name = t == Target.DistrictA ? "历下区" : "青岛市" })),
        ["GET /api/regions/{id}/summary"] = new(HttpMethod.Get, "Auditor", (f, t) => At($"/api/regions/{RegionOf(f, t)}/summary")),
        ["POST /api/users"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/users",
            new { username = FleetFixture.Code("lm"), password = LevelsFixture.Password, role = "Auditor", regionId = RegionOf(f, t) })),
        ["GET /api/users"] = new(HttpMethod.Get, "Admin", async (f, t) => ("/api/users?pageSize=500", null, (await Person(f, t)).ToString())),
        ["PUT /api/users/{id}"] = new(HttpMethod.Put, "Admin", async (f, t) => ($"/api/users/{await Person(f, t)}", new { displayName = "审计员", role = "Auditor", active = true }, null)),
        ["POST /api/users/{id}/password"] = new(HttpMethod.Post, "Admin", async (f, t) => ($"/api/users/{await Person(f, t)}/password", new { newPassword = "Reset-by-admin-2027" }, null)),
        ["POST /api/units"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/units",
            new { code = FleetFixture.Code("LN"), name = "新单位", kind = "Institution", vehicleQuota = 1, regionId = RegionOf(f, t) })),
        ["GET /api/units"] = new(HttpMethod.Get, "Auditor", (f, t) => At("/api/units?pageSize=500", null, UnitOf(f, t).ToString())),
        ["GET /api/units/{id}"] = new(HttpMethod.Get, "Auditor", (f, t) => At($"/api/units/{UnitOf(f, t)}")),
        ["PUT /api/units/{id}"] = new(HttpMethod.Put, "Admin", async (f, t) =>
        {
            var (id, code) = await NewUnit(f, t);
            return ($"/api/units/{id}", new { code, name = "改名单位", kind = "Department", vehicleQuota = 3 }, null);
        }),
        ["POST /api/vehicles"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/vehicles", Make.Vehicle(UnitOf(f, t)))),
        ["GET /api/vehicles"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/vehicles?pageSize=500", null, (await Car(f, t)).ToString())),
        ["GET /api/vehicles/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/vehicles/{await Car(f, t)}", null, null)),
        ["PUT /api/vehicles/{id}"] = new(HttpMethod.Put, "Admin", async (f, t) =>
        {
            var id = await Car(f, t);
            var vehicle = await Province(f, "Admin").GetJson($"/api/vehicles/{id}");
            return ($"/api/vehicles/{id}", VehicleTests.Edit(vehicle, v => v["model"] = "changed"), null);
        }),
        ["POST /api/vehicles/{id}/dispose"] = new(HttpMethod.Post, "Admin", async (f, t) => ($"/api/vehicles/{await Car(f, t)}/dispose", new { reason = "报废" }, null)),
        ["GET /api/vehicles/import/template.xlsx"] = new(HttpMethod.Get, "Admin", (f, t) => At("/api/vehicles/import/template.xlsx")),
        ["POST /api/vehicles/import"] = new(HttpMethod.Post, "Admin", async (f, t) => ("/api/vehicles/import", Workbook(await UnitCode(f, t), Make.Vehicle(UnitOf(f, t))), null)),
        ["POST /api/spot-checks"] = new(HttpMethod.Post, "Inspector", async (f, t) => ("/api/spot-checks",
            new { vehicleId = await Car(f, t), checkedAt = "2026-10-01T02:00:00Z", location = "x", finding = "Compliant" }, null)),
        ["GET /api/spot-checks"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/spot-checks?pageSize=500", null, (await Check(f, t)).ToString())),
        ["GET /api/spot-checks/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/spot-checks/{await Check(f, t)}", null, null)),
        ["POST /api/usage/import"] = new(HttpMethod.Post, "Inspector", async (f, t) =>
        {
            var plate = (string)(await Province(f, "Admin").RegisterVehicle(Make.Vehicle(UnitOf(f, t))))["plateNumber"]!;
            return ("/api/usage/import?kind=Fuel", UsageTests.File(Encoding.UTF8.GetBytes($"plateNumber,time,station,litres,amount\n{plate},2026-10-02 10:00,中石化人民路站,40.5,320.00\n"), "fuel.csv"), null);
        }),
        ["GET /api/usage"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
        {
            var plate = (string)(await Province(f, "Admin").RegisterVehicle(Make.Vehicle(UnitOf(f, t))))["plateNumber"]!;
            await Client.Read(await Province(f, "Inspector").Http.PostAsync("/api/usage/import?kind=Fuel",
                UsageTests.File(Encoding.UTF8.GetBytes($"plateNumber,time,station,litres,amount\n{plate},2026-10-03 10:00,中石化人民路站,30,200.00\n"), "fuel.csv")), HttpStatusCode.OK);
            return ($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}", null, plate);
        }),
        ["POST /api/evidence"] = new(HttpMethod.Post, "Inspector", async (f, t) => ("/api/evidence",
            EvidenceTests.Upload(EvidenceTests.Photo(seed: Random.Shared.Next(100)), "l.jpg", "SpotCheck", await Check(f, t)), null)),
        ["GET /api/evidence"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/evidence", null, (await Photo(f, t)).ToString())),
        ["GET /api/evidence/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/evidence/{await Photo(f, t)}", null, null)),
        ["GET /api/evidence/{id}/content"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/evidence/{await Photo(f, t)}/content", null, null)),
        ["GET /api/evidence/{id}/thumbnail"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/evidence/{await Photo(f, t)}/thumbnail", null, null)),
        ["GET /api/violations"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/violations?pageSize=500", null, (await Violation(f, t)).ToString())),
        ["GET /api/violations/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/violations/{await Violation(f, t)}", null, null)),
        ["POST /api/violations"] = new(HttpMethod.Post, "Inspector", (f, t) => At("/api/violations", new { type = "Other", unitId = UnitOf(f, t), notes = "x" })),
        ["POST /api/violations/{id}/actions"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/violations/{await Violation(f, t)}/actions",
            new { personName = "张三", position = "科员", action = "Reminder" }, null)),
        ["POST /api/violations/{id}/resolve"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/violations/{await Violation(f, t)}/resolve", new { reason = "ok" }, null)),
        ["POST /api/violations/{id}/dismiss"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/violations/{await Violation(f, t)}/dismiss", new { reason = "ok" }, null)),
        ["POST /api/campaigns"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/campaigns",
            new { name = "C" + FleetFixture.Code(""), startsOn = "2026-01-01", endsOn = "2026-12-31", regionId = RegionOf(f, t) })),
        ["GET /api/campaigns"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/campaigns?pageSize=500", null, (await Campaign(f, t)).ToString())),
        ["GET /api/campaigns/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/campaigns/{await Campaign(f, t)}", null, null)),
        ["POST /api/recoveries"] = new(HttpMethod.Post, "Inspector", async (f, t) => ("/api/recoveries",
            new { campaignId = await Campaign(f, t), vehicleId = await Car(f, t), unitId = UnitOf(f, t), reason = "Other", dueOn = "2027-12-31" }, null)),
        ["GET /api/recoveries"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/recoveries?pageSize=500", null, (await Recovery(f, t)).ToString())),
        ["GET /api/recoveries/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/recoveries/{await Recovery(f, t)}", null, null)),
        ["GET /api/recoveries/rates"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
        {
            await Recovery(f, t);
            return ("/api/recoveries/rates", null, UnitOf(f, t).ToString());
        }),
        ["POST /api/recoveries/{id}/recover"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/recoveries/{await Recovery(f, t)}/recover",
            new { recoveredOn = f.Factory.LocalToday(), disposition = "Scrapped" }, null)),
        ["POST /api/recoveries/{id}/cancel"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/recoveries/{await Recovery(f, t)}/cancel", new { reason = "x" }, null)),
        ["POST /api/holidays"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/holidays",
            new { name = "节" + FleetFixture.Code(""), firstDay = "2032-05-01", lastDay = "2032-05-03" })),
        ["GET /api/holidays"] = new(HttpMethod.Get, "Auditor", (f, t) => At("/api/holidays?year=2027")),
        ["POST /api/sealup-schedules"] = new(HttpMethod.Post, "Admin", async (f, t) => ("/api/sealup-schedules",
            new { holidayId = Make.Id(await Province(f, "Admin").CreateHoliday(inDays: 30)), regionId = RegionOf(f, t) }, null)),
        ["GET /api/sealup-schedules"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/sealup-schedules?pageSize=500", null, (await Schedule(f, t)).Schedule.ToString())),
        ["GET /api/sealup-schedules/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/sealup-schedules/{(await Schedule(f, t)).Schedule}", null, null)),
        ["GET /api/sealup-schedules/{id}/orders"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            var plate = (string)(await Province(f, "Admin").GetJson($"/api/vehicles/{vehicle}"))["plateNumber"]!;
            return ($"/api/sealup-schedules/{schedule}/orders?plateNumber={Uri.EscapeDataString(plate)}", null, vehicle.ToString());
        }),
        ["GET /api/sealup-schedules/{id}/compliance"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
            ($"/api/sealup-schedules/{(await Schedule(f, t)).Schedule}/compliance", null, UnitOf(f, t).ToString())),
        ["GET /api/sealup-schedules/{id}/exemptions"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            var exemption = Make.Id(await Client.Read(await Province(f, "Admin").AskExemption(schedule, vehicle), HttpStatusCode.Created));
            return ($"/api/sealup-schedules/{schedule}/exemptions", null, exemption.ToString());
        }),
        ["POST /api/sealup-schedules/{id}/seals"] = new(HttpMethod.Post, "Admin", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            return ($"/api/sealup-schedules/{schedule}/seals", new { vehicleId = vehicle, sealNumber = "L-" + FleetFixture.Code(""), parkingPlace = "大院" }, null);
        }),
        ["POST /api/sealup-schedules/{id}/releases"] = new(HttpMethod.Post, "Admin", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            return ($"/api/sealup-schedules/{schedule}/releases", new { vehicleId = vehicle }, null);
        }),
        ["POST /api/sealup-schedules/{id}/exemptions"] = new(HttpMethod.Post, "Admin", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            return ($"/api/sealup-schedules/{schedule}/exemptions", new { vehicleId = vehicle, reason = "值班" }, null);
        }),
        ["GET /api/exemptions"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/exemptions?pageSize=500", null, (await Exemption(f, t)).ToString())),
        ["GET /api/exemptions/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/exemptions/{await Exemption(f, t)}", null, null)),
        ["POST /api/exemptions/{id}/approve"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/exemptions/{await Exemption(f, t)}/approve", new { note = "ok" }, null)),
        ["POST /api/exemptions/{id}/reject"] = new(HttpMethod.Post, "Inspector", async (f, t) => ($"/api/exemptions/{await Exemption(f, t)}/reject", new { note = "no" }, null)),
        ["POST /api/jobs/sealup-reconcile/run"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/jobs/sealup-reconcile/run")),
        ["POST /api/jobs/holiday-reminders/run"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/jobs/holiday-reminders/run")),
        ["POST /api/jobs/recovery-overdue/run"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/jobs/recovery-overdue/run")),
        ["POST /api/jobs/report-archive/run"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/jobs/report-archive/run")),
        ["POST /api/jobs/usage-check/run"] = new(HttpMethod.Post, "Admin", (f, t) => At("/api/jobs/usage-check/run")),
        ["GET /api/audit"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
        {
            var car = await Car(f, t);
            return ($"/api/audit?entity=Vehicle&entityId={car}", null, car.ToString());
        }),
        ["GET /api/reports/violations.xlsx"] = new(HttpMethod.Get, "Auditor", (f, t) => At($"/api/reports/violations.xlsx?unitId={UnitOf(f, t)}")),
        ["GET /api/reports/spot-checks.xlsx"] = new(HttpMethod.Get, "Auditor", (f, t) => At($"/api/reports/spot-checks.xlsx?unitId={UnitOf(f, t)}")),
        ["GET /api/reports/recovery-rates.xlsx"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/reports/recovery-rates.xlsx?campaignId={await Campaign(f, t)}", null, null)),
        ["GET /api/reports/sealup-compliance.xlsx"] = new(HttpMethod.Get, "Auditor", async (f, t) =>
            ($"/api/reports/sealup-compliance.xlsx?scheduleId={(await Schedule(f, t)).Schedule}", null, null)),
        ["GET /api/reports/archive"] = new(HttpMethod.Get, "Auditor", async (f, t) => ("/api/reports/archive?pageSize=500", null, (await Archived(f, t)).ToString())),
        ["GET /api/reports/archive/{id}"] = new(HttpMethod.Get, "Auditor", async (f, t) => ($"/api/reports/archive/{await Archived(f, t)}", null, null)),
    };

    /// <summary>A one-vehicle workbook for a unit, as multipart form data.</summary>
    private static HttpContent Workbook(string unitCode, Dictionary<string, object?> v)
    {
        using var book = new ClosedXML.Excel.XLWorkbook();
        var sheet = book.AddWorksheet("Vehicles");
        string[] header = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
            sheet.Cell(2, c + 1).SetValue(header[c] == "unitCode" ? unitCode : Convert.ToString(v[header[c]], System.Globalization.CultureInfo.InvariantCulture));
        }
        var stream = new MemoryStream();
        book.SaveAs(stream);
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { file, "file", "vehicles.xlsx" } };
    }

    // Against a record in district A, then one in city B:   Province CityA CityB DistrictA UnitA (its vehicle administrator)
    private static readonly Dictionary<string, (int[] A, int[] B)> Expected = new()
    {
        // Nothing of a record: everyone as their role allows.
        ["POST /api/auth/token"] = ([200, 200, 200, 200, 200], [200, 200, 200, 200, 200]),
        ["GET /api/me"] = ([200, 200, 200, 200, 200], [200, 200, 200, 200, 200]),
        ["POST /api/me/password"] = ([400, 400, 400, 400, 400], [400, 400, 400, 400, 400]),
        ["GET /api/holidays"] = ([200, 200, 200, 200, 200], [200, 200, 200, 200, 200]),
        ["GET /api/vehicles/import/template.xlsx"] = ([200, 200, 200, 200, 200], [200, 200, 200, 200, 200]),
        // Holidays are the root's; jobs are asked for by any Admin (they are level-triggered and change nothing twice).
        ["POST /api/holidays"] = ([201, 403, 403, 403, 403], [201, 403, 403, 403, 403]),
        ["POST /api/jobs/sealup-reconcile/run"] = ([202, 202, 202, 202, 403], [202, 202, 202, 202, 403]),
        ["POST /api/jobs/holiday-reminders/run"] = ([202, 202, 202, 202, 403], [202, 202, 202, 202, 403]),
        ["POST /api/jobs/recovery-overdue/run"] = ([202, 202, 202, 202, 403], [202, 202, 202, 202, 403]),
        ["POST /api/jobs/report-archive/run"] = ([202, 202, 202, 202, 403], [202, 202, 202, 202, 403]),
        ["POST /api/jobs/usage-check/run"] = ([202, 202, 202, 202, 403], [202, 202, 202, 202, 403]),
        // Regions: a VehicleAdmin sees their unit's region; the tree grows only below one's own region.
        ["GET /api/regions"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/regions/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/regions"] = ([201, 201, 403, 403, 403], [201, 403, 201, 403, 403]),
        ["PUT /api/regions/{id}"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        ["GET /api/regions/{id}/summary"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 404]),
        // People and units: kept by the Admins whose subtree holds them.
        ["POST /api/users"] = ([201, 201, 403, 201, 403], [201, 403, 201, 403, 403]),
        ["GET /api/users"] = ([Seen, Seen, Absent, Seen, 403], [Seen, Absent, Seen, Absent, 403]),
        ["PUT /api/users/{id}"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        ["POST /api/users/{id}/password"] = ([204, 204, 404, 204, 403], [204, 404, 204, 404, 403]),
        ["POST /api/units"] = ([201, 201, 403, 201, 403], [201, 403, 201, 403, 403]),
        ["GET /api/units"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/units/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["PUT /api/units/{id}"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        // Vehicles: the unit's own vehicle administrator and the Admins above it.
        ["POST /api/vehicles"] = ([201, 201, 400, 201, 201], [201, 400, 201, 400, 403]),
        ["GET /api/vehicles"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/vehicles/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["PUT /api/vehicles/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/vehicles/{id}/dispose"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/vehicles/import"] = ([200, 200, 400, 200, 200], [200, 400, 200, 400, 400]),
        // Inspection: the inspectors whose subtree holds the car.
        // A car named in a body that the caller does not see is refused as one that does not exist: 400 naming vehicleId.
        ["POST /api/spot-checks"] = ([201, 201, 400, 201, 403], [201, 400, 201, 400, 403]),
        ["GET /api/spot-checks"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/spot-checks/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/usage/import"] = ([200, 200, 400, 200, 403], [200, 400, 200, 400, 403]),
        ["GET /api/usage"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["POST /api/evidence"] = ([201, 201, 404, 201, 403], [201, 404, 201, 404, 403]),
        ["GET /api/evidence"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/evidence/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["GET /api/evidence/{id}/content"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["GET /api/evidence/{id}/thumbnail"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["GET /api/violations"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/violations/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/violations"] = ([201, 201, 400, 201, 403], [201, 400, 201, 400, 403]),
        ["POST /api/violations/{id}/actions"] = ([201, 201, 404, 201, 403], [201, 404, 201, 404, 403]),
        ["POST /api/violations/{id}/resolve"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        ["POST /api/violations/{id}/dismiss"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        // Campaigns are seen from their region, from below it and from above it; cases only in one's subtree.
        ["POST /api/campaigns"] = ([201, 201, 403, 201, 403], [201, 403, 201, 403, 403]),
        ["GET /api/campaigns"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/campaigns/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/recoveries"] = ([201, 201, 400, 201, 403], [201, 400, 201, 400, 403]),
        ["GET /api/recoveries"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/recoveries/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["GET /api/recoveries/rates"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["POST /api/recoveries/{id}/recover"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        ["POST /api/recoveries/{id}/cancel"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        // Schedules: published by a region for its subtree; seen from above and below; orders only in one's subtree.
        ["POST /api/sealup-schedules"] = ([201, 201, 403, 201, 403], [201, 403, 201, 403, 403]),
        ["GET /api/sealup-schedules"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/sealup-schedules/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["GET /api/sealup-schedules/{id}/orders"] = ([Seen, Seen, 404, Seen, Seen], [Seen, 404, Seen, 404, 404]),
        ["GET /api/sealup-schedules/{id}/compliance"] = ([Seen, Seen, 404, Seen, Seen], [Seen, 404, Seen, 404, 404]),
        ["GET /api/sealup-schedules/{id}/exemptions"] = ([Seen, Seen, 404, Seen, Seen], [Seen, 404, Seen, 404, 404]),
        ["POST /api/sealup-schedules/{id}/seals"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/sealup-schedules/{id}/releases"] = ([409, 409, 404, 409, 409], [409, 404, 409, 404, 404]),
        ["POST /api/sealup-schedules/{id}/exemptions"] = ([201, 201, 404, 201, 201], [201, 404, 201, 404, 404]),
        ["GET /api/exemptions"] = ([Seen, Seen, Absent, Seen, Seen], [Seen, Absent, Seen, Absent, Absent]),
        ["GET /api/exemptions/{id}"] = ([200, 200, 404, 200, 200], [200, 404, 200, 404, 404]),
        ["POST /api/exemptions/{id}/approve"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        ["POST /api/exemptions/{id}/reject"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
        // The audit trail and the reports: what lies in one's subtree.
        ["GET /api/audit"] = ([Seen, Seen, Absent, Seen, 403], [Seen, Absent, Seen, Absent, 403]),
        ["GET /api/reports/violations.xlsx"] = ([200, 200, 400, 200, 403], [200, 400, 200, 400, 403]),
        ["GET /api/reports/spot-checks.xlsx"] = ([200, 200, 400, 200, 403], [200, 400, 200, 400, 403]),
        ["GET /api/reports/recovery-rates.xlsx"] = ([200, 200, 400, 200, 403], [200, 400, 200, 400, 403]),
        ["GET /api/reports/sealup-compliance.xlsx"] = ([200, 200, 400, 200, 403], [200, 400, 200, 400, 403]),
        ["GET /api/reports/archive"] = ([Seen, Seen, Absent, Seen, 403], [Seen, Absent, Seen, Absent, 403]),
        ["GET /api/reports/archive/{id}"] = ([200, 200, 404, 200, 403], [200, 404, 200, 404, 403]),
    };

    public static TheoryData<string, Target, Who> Cases()
    {
        var data = new TheoryData<string, Target, Who>();
        foreach (var route in Routes.Keys)
            foreach (var target in Enum.GetValues<Target>())
                foreach (var who in Enum.GetValues<Who>()) data.Add(route, target, who);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_route_answers_each_level_as_the_product_says_and_refusals_write_nothing(string name, Target target, Who who)
    {
        var route = Routes[name];
        var expected = (target == Target.DistrictA ? Expected[name].A : Expected[name].B)[(int)who];
        var (url, body, marker) = await route.Prepare(levels, target);
        var before = await levels.Factory.WrittenState();

        using var request = new HttpRequestMessage(route.Method, url);
        if (body is not null) request.Content = body as HttpContent ?? System.Net.Http.Json.JsonContent.Create(body, options: Client.Json);
        if (route.Method == HttpMethod.Put) request.Headers.TryAddWithoutValidation("If-Match", "*");
        var caller = who switch
        {
            Who.UnitA => levels.As(Place.DistrictA, "VehicleAdmin"),
            _ => levels.As(Enum.Parse<Place>(who.ToString()), route.Role),
        };
        var response = await caller.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        if (expected is Seen or Absent)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} ({target}) as {who}: expected 200, got {(int)response.StatusCode}: {text}");
            Assert.True(marker is not null, $"{name}: a list names the record it looks for");
            var listed = text.Contains(marker!, StringComparison.OrdinalIgnoreCase);
            Assert.True(listed == (expected == Seen), $"{name} ({target}) as {who}: the record is {(listed ? "listed" : "left out")}");
        }
        else if (expected >= 400)
        {
            Assert.True((int)response.StatusCode == expected, $"{name} ({target}) as {who}: expected {expected}, got {(int)response.StatusCode}: {text}");
            Assert.Equal(before, await levels.Factory.WrittenState());
            // A refusal names nothing of what lies outside the caller's subtree.
            if (target == Target.CityB && who is not Who.Province and not Who.CityB) Assert.DoesNotContain("青岛", text);
        }
        else
        {
            Assert.True((int)response.StatusCode == expected, $"{name} ({target}) as {who}: expected {expected}, got {(int)response.StatusCode}: {text}");
        }
    }

    /// <summary>A violation entered by hand with a plate, for the lists that show plates.</summary>
    private static async Task<string> PlateViolation(LevelsFixture f, Target t)
    {
        var plate = Make.Plate();
        await Client.Read(await Province(f, "Inspector").Post("/api/violations", new { type = "Other", plateNumber = plate, unitId = UnitOf(f, t), notes = "levels" }), HttpStatusCode.Created);
        return plate;
    }

    private static async Task<string> PlateOf(LevelsFixture f, Guid vehicle) => (string)(await Province(f, "Admin").GetJson($"/api/vehicles/{vehicle}"))["plateNumber"]!;

    private static async Task<string> SpotCheckPage(LevelsFixture f, Target t) => $"/spot-checks/{await Check(f, t)}";

    /// <summary>The workspace's pages of (or listing) a record of the target: url, and for a list the text it must or must not show.</summary>
    private static readonly Dictionary<string, (string Role, Func<LevelsFixture, Target, Task<(string Url, string? Marker)>> Prepare)> Pages = new()
    {
        ["/"] = ("Auditor", (f, t) => Task.FromResult(($"/?region={RegionOf(f, t)}", (string?)(t == Target.DistrictA ? "全区概况 · 历下区" : "全市概况 · 青岛市")))),
        ["/regions"] = ("Auditor", (f, t) => Task.FromResult(("/regions", (string?)(t == Target.DistrictA ? "370102" : "370200")))),
        ["/units"] = ("Auditor", async (f, t) => ("/units", await UnitCode(f, t))),
        ["/units/{id}"] = ("Admin", async (f, t) => ($"/units/{(await NewUnit(f, t)).Id}", null)),
        ["/users/{id}"] = ("Admin", async (f, t) => ($"/users/{await Person(f, t)}", null)),
        ["/vehicles"] = ("Auditor", async (f, t) =>
        {
            var plate = await PlateOf(f, await Car(f, t));
            return ($"/vehicles?plate={Uri.EscapeDataString(plate)}", plate);
        }
        ),
        ["/vehicles/{id}/edit"] = ("Admin", async (f, t) => ($"/vehicles/{await Car(f, t)}/edit", null)),
        ["/violations"] = ("Auditor", async (f, t) =>
        {
            var plate = await PlateViolation(f, t);
            return ($"/violations?plate={Uri.EscapeDataString(plate)}", plate);
        }
        ),
        ["/violations/{id}"] = ("Auditor", async (f, t) => ($"/violations/{await Violation(f, t)}", null)),
        ["/spot-checks"] = ("Auditor", async (f, t) =>
        {
            var car = await Car(f, t);
            var plate = await PlateOf(f, car);
            await Client.Read(await Province(f, "Inspector").Post("/api/spot-checks", new { vehicleId = car, checkedAt = "2026-10-01T02:00:00Z", location = "大院", finding = "Compliant" }), HttpStatusCode.Created);
            return ($"/spot-checks?plate={Uri.EscapeDataString(plate)}", plate);
        }
        ),
        ["/spot-checks/{id}"] = ("Auditor", async (f, t) => (await SpotCheckPage(f, t), null)),
        ["/recoveries"] = ("Auditor", async (f, t) =>
        {
            var plate = Make.Plate();
            await Client.Read(await Province(f, "Inspector").Post("/api/recoveries",
                new { campaignId = await Campaign(f, t), plateNumber = plate, unitId = UnitOf(f, t), reason = "Unregistered", dueOn = "2027-12-31" }), HttpStatusCode.Created);
            return ($"/recoveries?plate={Uri.EscapeDataString(plate)}", plate);
        }
        ),
        ["/recoveries/{id}"] = ("Auditor", async (f, t) => ($"/recoveries/{await Recovery(f, t)}", null)),
        ["/sealup/{scheduleId}/vehicles/{vehicleId}"] = ("Admin", async (f, t) =>
        {
            var (schedule, vehicle) = await Schedule(f, t);
            return ($"/sealup/{schedule}/vehicles/{vehicle}", null);
        }
        ),
        ["/users"] = ("Admin", async (f, t) =>
        {
            var username = FleetFixture.Code("listed");
            await Client.Read(await Province(f, "Admin").Post("/api/users",
                new { username, password = LevelsFixture.Password, role = "Auditor", regionId = RegionOf(f, t) }), HttpStatusCode.Created);
            return ($"/users?q={username}", username);
        }
        ),
        // The forms offer only the units (and regions) of the caller's subtree.
        ["/users/new"] = ("Admin", async (f, t) => ("/users/new", await UnitCode(f, t))),
        // A unit is typed by its code here (checked in the caller's subtree on saving): the form lists none.
        ["/vehicles/new"] = ("Admin", (f, t) => Task.FromResult(("/vehicles/new", (string?)null))),
        ["/recoveries/new"] = ("Inspector", async (f, t) => ("/recoveries/new", await UnitCode(f, t))),
        ["/usage"] = ("Auditor", async (f, t) =>
        {
            var plate = (string)(await Province(f, "Admin").RegisterVehicle(Make.Vehicle(UnitOf(f, t))))["plateNumber"]!;
            await Client.Read(await Province(f, "Inspector").Http.PostAsync("/api/usage/import?kind=Fuel",
                UsageTests.File(Encoding.UTF8.GetBytes($"plateNumber,time,station,litres,amount\n{plate},2026-10-03 10:00,中石化人民路站,30,200.00\n"), "fuel.csv")), HttpStatusCode.OK);
            return ($"/usage?plate={Uri.EscapeDataString(plate)}&from=2026-10-01", plate);
        }
        ),
        // A record's changes: the row links to the record's whole history (the filter box holds its id without the link).
        ["/audit"] = ("Auditor", async (f, t) =>
        {
            var car = await Car(f, t);
            return ($"/audit?entityId={car}", $"?entityId={car}\"");
        }
        ),
    };

    //                                                      Province CityA CityB DistrictA UnitA
    private const string Ok = "200", Missing = "404", Denied = "denied", Shown = "shown", Hidden = "hidden";

    private static readonly Dictionary<string, (string[] A, string[] B)> ExpectedPages = new()
    {
        // The home page's roll-up of a region outside the subtree says it was not found (and shows nothing of it).
        // A vehicle administrator's home is their unit's, not a region's roll-up.
        ["/"] = ([Shown, Shown, Hidden, Shown, Hidden], [Shown, Hidden, Shown, Hidden, Hidden]),
        ["/regions"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/units"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/units/{id}"] = ([Ok, Ok, Missing, Ok, Denied], [Ok, Missing, Ok, Missing, Denied]),
        ["/users/{id}"] = ([Ok, Ok, Missing, Ok, Denied], [Ok, Missing, Ok, Missing, Denied]),
        ["/vehicles"] = ([Shown, Shown, Hidden, Shown, Shown], [Shown, Hidden, Shown, Hidden, Hidden]),
        ["/vehicles/{id}/edit"] = ([Ok, Ok, Missing, Ok, Ok], [Ok, Missing, Ok, Missing, Missing]),
        ["/violations"] = ([Shown, Shown, Hidden, Shown, Shown], [Shown, Hidden, Shown, Hidden, Hidden]),
        ["/violations/{id}"] = ([Ok, Ok, Missing, Ok, Ok], [Ok, Missing, Ok, Missing, Missing]),
        ["/spot-checks"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/spot-checks/{id}"] = ([Ok, Ok, Missing, Ok, Denied], [Ok, Missing, Ok, Missing, Denied]),
        ["/recoveries"] = ([Shown, Shown, Hidden, Shown, Shown], [Shown, Hidden, Shown, Hidden, Hidden]),
        ["/recoveries/{id}"] = ([Ok, Ok, Missing, Ok, Ok], [Ok, Missing, Ok, Missing, Missing]),
        ["/sealup/{scheduleId}/vehicles/{vehicleId}"] = ([Ok, Ok, Missing, Ok, Ok], [Ok, Missing, Ok, Missing, Missing]),
        ["/users"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/users/new"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/vehicles/new"] = ([Ok, Ok, Ok, Ok, Ok], [Ok, Ok, Ok, Ok, Ok]),
        ["/recoveries/new"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
        ["/usage"] = ([Shown, Shown, Hidden, Shown, Shown], [Shown, Hidden, Shown, Hidden, Hidden]),
        ["/audit"] = ([Shown, Shown, Hidden, Shown, Denied], [Shown, Hidden, Shown, Hidden, Denied]),
    };

    public static TheoryData<string, Target, Who> PageCases()
    {
        var data = new TheoryData<string, Target, Who>();
        foreach (var page in Pages.Keys)
            foreach (var target in Enum.GetValues<Target>())
                foreach (var who in Enum.GetValues<Who>()) data.Add(page, target, who);
        return data;
    }

    [Theory]
    [MemberData(nameof(PageCases))]
    public async Task Each_page_of_a_record_answers_each_level_as_the_api_does(string name, Target target, Who who)
    {
        var (role, prepare) = Pages[name];
        var expected = (target == Target.DistrictA ? ExpectedPages[name].A : ExpectedPages[name].B)[(int)who];
        var (url, marker) = await prepare(levels, target);
        using var browser = who == Who.UnitA ? await levels.UnitAdminPages() : await levels.Pages(Enum.Parse<Place>(who.ToString()), role);
        var response = await browser.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var answer = response.StatusCode switch
        {
            // A list's filter box repeats the plate asked for: only a row shows the record.
            HttpStatusCode.OK when marker is not null => text.Replace($"value=\"{marker}\"", "", StringComparison.Ordinal).Contains(marker, StringComparison.Ordinal) ? Shown : Hidden,
            HttpStatusCode.OK => Ok,
            HttpStatusCode.NotFound => Missing,
            HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/denied", StringComparison.Ordinal) => Denied,
            _ => $"{(int)response.StatusCode} {response.Headers.Location}",
        };
        Assert.True(answer == expected, $"{name} ({target}) as {who}: expected {expected}, got {answer}");
        if (target == Target.CityB && who is not Who.Province and not Who.CityB) Assert.DoesNotContain("青岛", text);
    }

    /// <summary>Tooling outside the API (the dashboard, the OpenAPI document and its page, health) has its own tests.</summary>
    private static readonly string[] NotInTheMatrix = ["/hangfire", "/openapi", "/scalar", "/health"];

    [Fact]
    public void Every_route_the_app_maps_is_in_the_levels_matrix_with_every_answer_listed()
    {
        var mapped = levels.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is null)
            .Where(e => !NotInTheMatrix.Any(p => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} /{System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), @"\{(\w+):[^}]+\}", "{$1}")}"))
            .ToHashSet();
        Assert.Equal("", string.Join(", ", mapped.Except(Routes.Keys).Order()));
        Assert.Equal("", string.Join(", ", Routes.Keys.Except(mapped).Order()));
        Assert.True(Routes.Keys.ToHashSet().SetEquals(Expected.Keys));
        Assert.All(Expected.Values, e => Assert.Equal((5, 5), (e.A.Length, e.B.Length)));
    }
}
