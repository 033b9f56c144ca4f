using System.Net;
using Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

/// <summary>
/// Every route called as anonymous, Admin, the VehicleAdmin of the owning unit (A), the VehicleAdmin of another
/// unit (B), Inspector and Auditor. A refused call answers a problem and leaves every table as it was.
/// </summary>
public class AuthorizationMatrixTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private sealed record Route(HttpMethod Method, Func<FleetFixture, Task<(string Url, object? Body)>> Prepare);

    /// <summary>A report of a closed month in the archive: a spot check last month, then the archive job.</summary>
    private static async Task<Guid> ArchivedReport(FleetFixture f)
    {
        await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId = f.UnitA, checkedAt = "2026-12-20T02:00:00Z", location = "大院", finding = "Compliant" }), HttpStatusCode.Created);
        await f.Factory.RunReportArchive();
        return await f.Factory.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.ArchivedReports.Select(a => a.Id)));
    }

    private static async Task<Guid> VehicleOfA(FleetFixture f) => Make.Id(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)));

    private static async Task<(Guid Schedule, Guid Vehicle)> ScheduleWithVehicleOfA(FleetFixture f, bool seal = false)
    {
        var admin = f.As(As.Admin);
        var vehicle = await VehicleOfA(f);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)), unitIds = new[] { f.UnitA } }));
        if (seal) await Client.Read(await admin.Seal(schedule, vehicle), HttpStatusCode.OK);
        return (schedule, vehicle);
    }

    private static async Task<Guid> RequestedExemption(FleetFixture f)
    {
        var (schedule, vehicle) = await ScheduleWithVehicleOfA(f);
        return Make.Id(await Client.Read(await f.As(As.VehicleAdmin).AskExemption(schedule, vehicle), HttpStatusCode.Created));
    }

    private static async Task<Guid> ViolationOfA(FleetFixture f) => Make.Id(await Client.Read(await f.As(As.Inspector).Post("/api/violations",
        new { type = "Other", unitId = f.UnitA, notes = "matrix" }), HttpStatusCode.Created));

    private static async Task<Guid> CampaignId(FleetFixture f) => Make.Id(await Client.Read(await f.As(As.Admin).Post("/api/campaigns",
        new { name = "M" + FleetFixture.Code(""), startsOn = "2026-01-01", endsOn = "2026-12-31" }), HttpStatusCode.Created));

    private static async Task<Guid> RecoveryOfA(FleetFixture f) => Make.Id(await Client.Read(await f.As(As.Inspector).Post("/api/recoveries",
        new { campaignId = await CampaignId(f), plateNumber = Make.Plate(), unitId = f.UnitA, reason = "Unregistered", dueOn = "2026-12-31" }), HttpStatusCode.Created));

    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["POST /api/spot-checks"] = new(HttpMethod.Post, async f => ("/api/spot-checks",
            new { vehicleId = await VehicleOfA(f), checkedAt = "2026-10-01T02:00:00Z", location = "x", finding = "PrivateUse" })),
        ["GET /api/spot-checks"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/spot-checks", null))),
        ["POST /api/usage/import"] = new(HttpMethod.Post, async f => ("/api/usage/import?kind=Fuel", await UsageTests.FuelOfA(f))),
        ["GET /api/usage"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/usage", null))),
        ["POST /api/evidence"] = new(HttpMethod.Post, async f => ("/api/evidence", EvidenceTests.Upload(EvidenceTests.Photo(seed: Random.Shared.Next(100)), "m.jpg", "SpotCheck", await EvidenceTests.SpotCheckOfA(f)))),
        ["GET /api/evidence"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/evidence", null))),
        ["GET /api/evidence/{id}"] = new(HttpMethod.Get, async f => ($"/api/evidence/{await EvidenceTests.PhotoOfA(f)}", null)),
        ["GET /api/evidence/{id}/content"] = new(HttpMethod.Get, async f => ($"/api/evidence/{await EvidenceTests.PhotoOfA(f)}/content", null)),
        ["GET /api/evidence/{id}/thumbnail"] = new(HttpMethod.Get, async f => ($"/api/evidence/{await EvidenceTests.PhotoOfA(f)}/thumbnail", null)),
        ["GET /api/violations/{id}"] = new(HttpMethod.Get, async f => ($"/api/violations/{await ViolationOfA(f)}", null)),
        ["POST /api/violations"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/violations", new { type = "Other", unitId = f.UnitA, notes = "x" }))),
        ["POST /api/violations/{id}/actions"] = new(HttpMethod.Post, async f => ($"/api/violations/{await ViolationOfA(f)}/actions",
            new { personName = "张三", position = "科员", action = "Reminder" })),
        ["POST /api/violations/{id}/resolve"] = new(HttpMethod.Post, async f => ($"/api/violations/{await ViolationOfA(f)}/resolve", new { reason = "ok" })),
        ["POST /api/violations/{id}/dismiss"] = new(HttpMethod.Post, async f => ($"/api/violations/{await ViolationOfA(f)}/dismiss", new { reason = "ok" })),
        ["POST /api/campaigns"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/campaigns",
            new { name = "C" + FleetFixture.Code(""), startsOn = "2026-01-01", endsOn = "2026-12-31" }))),
        ["GET /api/campaigns"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/campaigns", null))),
        ["POST /api/recoveries"] = new(HttpMethod.Post, async f => ("/api/recoveries",
            new { campaignId = await CampaignId(f), vehicleId = await VehicleOfA(f), unitId = f.UnitA, reason = "Other", dueOn = "2026-12-31" })),
        ["GET /api/recoveries"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/recoveries", null))),
        ["GET /api/recoveries/{id}"] = new(HttpMethod.Get, async f => ($"/api/recoveries/{await RecoveryOfA(f)}", null)),
        ["GET /api/recoveries/rates"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/recoveries/rates", null))),
        ["POST /api/recoveries/{id}/recover"] = new(HttpMethod.Post, async f => ($"/api/recoveries/{await RecoveryOfA(f)}/recover",
            new { recoveredOn = f.Factory.LocalToday(), disposition = "Scrapped" })),
        ["POST /api/recoveries/{id}/cancel"] = new(HttpMethod.Post, async f => ($"/api/recoveries/{await RecoveryOfA(f)}/cancel", new { reason = "x" })),
        ["POST /api/holidays"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/holidays",
            new { name = "节" + FleetFixture.Code(""), firstDay = "2032-05-01", lastDay = "2032-05-03" }))),
        ["GET /api/holidays"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/holidays?year=2027", null))),
        ["POST /api/sealup-schedules"] = new(HttpMethod.Post, async f =>
            ("/api/sealup-schedules", new { holidayId = Make.Id(await f.As(As.Admin).CreateHoliday()), unitIds = new[] { f.UnitB } })),
        ["GET /api/sealup-schedules/{id}"] = new(HttpMethod.Get, async f => ($"/api/sealup-schedules/{(await ScheduleWithVehicleOfA(f)).Schedule}", null)),
        ["GET /api/sealup-schedules/{id}/orders"] = new(HttpMethod.Get, async f => ($"/api/sealup-schedules/{(await ScheduleWithVehicleOfA(f)).Schedule}/orders", null)),
        ["POST /api/sealup-schedules/{id}/seals"] = new(HttpMethod.Post, async f =>
        {
            var (schedule, vehicle) = await ScheduleWithVehicleOfA(f);
            return ($"/api/sealup-schedules/{schedule}/seals", new { vehicleId = vehicle, sealNumber = "M-1", parkingPlace = "大院" });
        }),
        ["POST /api/sealup-schedules/{id}/releases"] = new(HttpMethod.Post, async f =>
        {
            // Sealed under a short schedule whose release time then passes: releasing is allowed from then on.
            var admin = f.As(As.Admin);
            var vehicle = await VehicleOfA(f);
            var now = f.Factory.Clock.GetUtcNow().UtcDateTime;
            var schedule = Make.Id(await admin.Publish(new
            {
                holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)),
                sealDeadline = now.AddHours(1),
                releaseAt = now.AddHours(2),
                unitIds = new[] { f.UnitA }
            }));
            await Client.Read(await admin.Seal(schedule, vehicle), HttpStatusCode.OK);
            f.Factory.Clock.Advance(TimeSpan.FromHours(3));
            return ($"/api/sealup-schedules/{schedule}/releases", new { vehicleId = vehicle });
        }),
        ["POST /api/sealup-schedules/{id}/exemptions"] = new(HttpMethod.Post, async f =>
        {
            var (schedule, vehicle) = await ScheduleWithVehicleOfA(f);
            return ($"/api/sealup-schedules/{schedule}/exemptions", new { vehicleId = vehicle, reason = "值班" });
        }),
        ["POST /api/exemptions/{id}/approve"] = new(HttpMethod.Post, async f => ($"/api/exemptions/{await RequestedExemption(f)}/approve", new { note = "ok" })),
        ["POST /api/exemptions/{id}/reject"] = new(HttpMethod.Post, async f => ($"/api/exemptions/{await RequestedExemption(f)}/reject", new { note = "no" })),
        ["POST /api/jobs/sealup-reconcile/run"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/jobs/sealup-reconcile/run", null))),
        ["POST /api/users"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/users",
            new { username = FleetFixture.Code("m"), password = "matrix-Zr6-password", role = "Auditor" }))),
        ["GET /api/users"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/users", null))),
        ["POST /api/units"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/units",
            new { code = FleetFixture.Code("M"), name = "m", kind = "Institution", vehicleQuota = 1 }))),
        ["GET /api/units"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/units", null))),
        ["GET /api/units/{id}"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(($"/api/units/{f.UnitA}", null))),
        ["PUT /api/units/{id}"] = new(HttpMethod.Put, async f =>
        {
            var unit = await f.As(As.Admin).CreateUnit(FleetFixture.Code("MU"));
            return ($"/api/units/{unit["id"]}", new { code = (string)unit["code"]!, name = "renamed", kind = "Department", vehicleQuota = 3 });
        }),
        ["POST /api/vehicles"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/vehicles", Make.Vehicle(f.UnitA)))),
        ["GET /api/vehicles"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/vehicles", null))),
        ["GET /api/vehicles/{id}"] = new(HttpMethod.Get, async f => ($"/api/vehicles/{await VehicleOfA(f)}", null)),
        ["PUT /api/vehicles/{id}"] = new(HttpMethod.Put, async f =>
        {
            var id = await VehicleOfA(f);
            var vehicle = await f.As(As.Admin).GetJson($"/api/vehicles/{id}");
            return ($"/api/vehicles/{id}", VehicleTests.Edit(vehicle, v => v["model"] = "changed"));
        }),
        ["POST /api/vehicles/{id}/dispose"] = new(HttpMethod.Post, async f => ($"/api/vehicles/{await VehicleOfA(f)}/dispose", new { reason = "报废" })),
        ["GET /api/violations"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/violations", null))),
        ["GET /api/audit"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/audit", null))),
        ["PUT /api/users/{id}"] = new(HttpMethod.Put, async f => ($"/api/users/{await AuditorAccount(f)}",
            new { displayName = "审计员", phone = "0531-12345678", role = "Auditor", active = true })),
        ["POST /api/users/{id}/password"] = new(HttpMethod.Post, async f => ($"/api/users/{await AuditorAccount(f)}/password", new { newPassword = "Reset-by-admin-2027" })),
        ["GET /api/me"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/me", null))),
        ["POST /api/me/password"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/me/password",
            new { currentPassword = "not-the-current-one", newPassword = "Another-strong-pw-2027" }))),
        ["GET /api/exemptions/{id}"] = new(HttpMethod.Get, async f => ($"/api/exemptions/{await RequestedExemption(f)}", null)),
        ["GET /api/campaigns/{id}"] = new(HttpMethod.Get, async f => ($"/api/campaigns/{await CampaignId(f)}", null)),
        ["GET /api/exemptions"] = new(HttpMethod.Get, async f =>
        {
            await RequestedExemption(f);
            return ("/api/exemptions?status=Requested", null);
        }),
        ["GET /api/reports/recovery-rates.xlsx"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/reports/recovery-rates.xlsx", null))),
        ["GET /api/reports/violations.xlsx"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/reports/violations.xlsx", null))),
        ["GET /api/reports/spot-checks.xlsx"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/reports/spot-checks.xlsx", null))),
        ["GET /api/reports/sealup-compliance.xlsx"] = new(HttpMethod.Get, async f =>
            ($"/api/reports/sealup-compliance.xlsx?scheduleId={(await ScheduleWithVehicleOfA(f)).Schedule}", null)),
        ["GET /api/sealup-schedules"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/sealup-schedules", null))),
        ["GET /api/sealup-schedules/{id}/compliance"] = new(HttpMethod.Get, async f => ($"/api/sealup-schedules/{(await ScheduleWithVehicleOfA(f)).Schedule}/compliance", null)),
        ["GET /api/sealup-schedules/{id}/exemptions"] = new(HttpMethod.Get, async f => ($"/api/sealup-schedules/{(await ScheduleWithVehicleOfA(f)).Schedule}/exemptions", null)),
        ["GET /api/spot-checks/{id}"] = new(HttpMethod.Get, async f => ($"/api/spot-checks/{Make.Id(await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks",
            new { vehicleId = await VehicleOfA(f), checkedAt = "2026-10-01T02:00:00Z", location = "x", finding = "Compliant" }), HttpStatusCode.Created))}", null)),
        ["GET /api/vehicles/import/template.xlsx"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/vehicles/import/template.xlsx", null))),
        ["POST /api/vehicles/import"] = new(HttpMethod.Post, async f => ("/api/vehicles/import", await ImportOfA(f))),
        ["POST /api/auth/token"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/auth/token",
            new { username = "admin", password = FleetFactory.AdminPassword }))),
        ["POST /api/jobs/holiday-reminders/run"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/jobs/holiday-reminders/run", null))),
        ["POST /api/jobs/recovery-overdue/run"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/jobs/recovery-overdue/run", null))),
        ["POST /api/jobs/report-archive/run"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/jobs/report-archive/run", null))),
        ["POST /api/jobs/usage-check/run"] = new(HttpMethod.Post, f => Task.FromResult<(string, object?)>(("/api/jobs/usage-check/run", null))),
        ["GET /api/reports/archive"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/reports/archive", null))),
        ["GET /api/reports/archive/{id}"] = new(HttpMethod.Get, async f => ($"/api/reports/archive/{await ArchivedReport(f)}", null)),
        ["GET /api/regions"] = new(HttpMethod.Get, f => Task.FromResult<(string, object?)>(("/api/regions", null))),
        ["GET /api/regions/{id}"] = new(HttpMethod.Get, async f => ($"/api/regions/{await RootOf(f)}", null)),
        ["POST /api/regions"] = new(HttpMethod.Post, async f => ("/api/regions", new { code = NextCounty(), name = "区", level = "County", parentId = await RootOf(f) })),
        ["PUT /api/regions/{id}"] = new(HttpMethod.Put, async f => ($"/api/regions/{Make.Id(await Client.Read(await f.As(As.Admin).Post("/api/regions",
            new { code = NextCounty(), name = "区", level = "County", parentId = await RootOf(f) }), HttpStatusCode.Created))}", new { name = "改名区" })),
        ["GET /api/regions/{id}/summary"] = new(HttpMethod.Get, async f => ($"/api/regions/{await RootOf(f)}/summary", null)),
    };

    private static async Task<Guid> RootOf(FleetFixture f) => (Guid)(await f.As(As.Admin).GetJson("/api/regions"))[0]!["id"]!;

    private static int county;

    /// <summary>A county code below the root 370100 not used before in this run.</summary>
    private static string NextCounty() => (370100 + Interlocked.Increment(ref county)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Guid> AuditorAccount(FleetFixture f) => Make.Id(await Client.Read(await f.As(As.Admin).Post("/api/users",
        new { username = FleetFixture.Code("acc"), password = "matrix-Zr6-password", role = "Auditor" }), HttpStatusCode.Created));

    /// <summary>A one-vehicle workbook for unit A, as multipart form data.</summary>
    private static async Task<HttpContent> ImportOfA(FleetFixture f)
    {
        var code = (string)(await f.As(As.Admin).GetJson($"/api/units/{f.UnitA}"))["code"]!;
        var v = Make.Vehicle(f.UnitA);
        using var book = new ClosedXML.Excel.XLWorkbook();
        var sheet = book.AddWorksheet("Vehicles");
        string[] header = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
            sheet.Cell(2, c + 1).SetValue(header[c] == "unitCode" ? code : Convert.ToString(v[header[c]], System.Globalization.CultureInfo.InvariantCulture));
        }
        var stream = new MemoryStream();
        book.SaveAs(stream);
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { file, "file", "vehicles.xlsx" } };
    }

    //                                                  Anonymous Admin VehicleAdmin OtherVehicleAdmin Inspector Auditor
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        ["POST /api/spot-checks"] = [401, 403, 403, 403, 201, 403],
        ["GET /api/spot-checks"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/usage/import"] = [401, 200, 403, 403, 200, 403],
        ["GET /api/usage"] = [401, 200, 200, 200, 200, 200],
        // A spot check's photos are the inspectors'; the record's scope decides who reads them.
        ["POST /api/evidence"] = [401, 403, 403, 403, 201, 403],
        ["GET /api/evidence"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/evidence/{id}"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/evidence/{id}/content"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/evidence/{id}/thumbnail"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/violations/{id}"] = [401, 200, 200, 404, 200, 200],
        ["POST /api/violations"] = [401, 403, 403, 403, 201, 403],
        ["POST /api/violations/{id}/actions"] = [401, 403, 403, 403, 201, 403],
        ["POST /api/violations/{id}/resolve"] = [401, 403, 403, 403, 200, 403],
        ["POST /api/violations/{id}/dismiss"] = [401, 403, 403, 403, 200, 403],
        ["POST /api/campaigns"] = [401, 201, 403, 403, 403, 403],
        ["GET /api/campaigns"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/recoveries"] = [401, 403, 403, 403, 201, 403],
        ["GET /api/recoveries"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/recoveries/{id}"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/recoveries/rates"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/recoveries/{id}/recover"] = [401, 403, 403, 403, 200, 403],
        ["POST /api/recoveries/{id}/cancel"] = [401, 403, 403, 403, 200, 403],
        ["POST /api/holidays"] = [401, 201, 403, 403, 403, 403],
        ["GET /api/holidays"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/sealup-schedules"] = [401, 201, 403, 403, 403, 403],
        ["GET /api/sealup-schedules/{id}"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/sealup-schedules/{id}/orders"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/sealup-schedules/{id}/seals"] = [401, 200, 200, 404, 403, 403],
        ["POST /api/sealup-schedules/{id}/releases"] = [401, 200, 200, 404, 403, 403],
        ["POST /api/sealup-schedules/{id}/exemptions"] = [401, 201, 201, 404, 403, 403],
        ["POST /api/exemptions/{id}/approve"] = [401, 200, 403, 403, 200, 403],
        ["POST /api/exemptions/{id}/reject"] = [401, 200, 403, 403, 200, 403],
        ["POST /api/jobs/sealup-reconcile/run"] = [401, 202, 403, 403, 403, 403],
        ["POST /api/users"] = [401, 201, 403, 403, 403, 403],
        ["GET /api/users"] = [401, 200, 403, 403, 403, 403],
        ["POST /api/units"] = [401, 201, 403, 403, 403, 403],
        ["GET /api/units"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/units/{id}"] = [401, 200, 200, 404, 200, 200],
        ["PUT /api/units/{id}"] = [401, 200, 403, 403, 403, 403],
        ["POST /api/vehicles"] = [401, 201, 201, 403, 403, 403],
        ["GET /api/vehicles"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/vehicles/{id}"] = [401, 200, 200, 404, 200, 200],
        ["PUT /api/vehicles/{id}"] = [401, 200, 200, 404, 403, 403],
        ["POST /api/vehicles/{id}/dispose"] = [401, 200, 200, 404, 403, 403],
        ["GET /api/violations"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/audit"] = [401, 200, 403, 403, 403, 200],
        ["PUT /api/users/{id}"] = [401, 200, 403, 403, 403, 403],
        ["POST /api/users/{id}/password"] = [401, 204, 403, 403, 403, 403],
        ["GET /api/me"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/me/password"] = [401, 400, 400, 400, 400, 400],
        ["GET /api/exemptions/{id}"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/campaigns/{id}"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/exemptions"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/reports/recovery-rates.xlsx"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/reports/violations.xlsx"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/reports/spot-checks.xlsx"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/reports/sealup-compliance.xlsx"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/sealup-schedules"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/sealup-schedules/{id}/compliance"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/sealup-schedules/{id}/exemptions"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/spot-checks/{id}"] = [401, 200, 200, 404, 200, 200],
        ["GET /api/vehicles/import/template.xlsx"] = [401, 200, 200, 200, 403, 403],
        ["POST /api/vehicles/import"] = [401, 200, 200, 400, 403, 403],
        ["POST /api/auth/token"] = [200, 200, 200, 200, 200, 200],
        ["POST /api/jobs/holiday-reminders/run"] = [401, 202, 403, 403, 403, 403],
        ["POST /api/jobs/recovery-overdue/run"] = [401, 202, 403, 403, 403, 403],
        ["POST /api/jobs/report-archive/run"] = [401, 202, 403, 403, 403, 403],
        ["POST /api/jobs/usage-check/run"] = [401, 202, 403, 403, 403, 403],
        ["GET /api/reports/archive"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/reports/archive/{id}"] = [401, 200, 403, 403, 200, 200],
        ["GET /api/regions"] = [401, 200, 200, 200, 200, 200],
        ["GET /api/regions/{id}"] = [401, 200, 200, 200, 200, 200],
        ["POST /api/regions"] = [401, 201, 403, 403, 403, 403],
        ["PUT /api/regions/{id}"] = [401, 200, 403, 403, 403, 403],
        // A unit's vehicle administrator sees their unit, not a region's roll-up.
        ["GET /api/regions/{id}/summary"] = [401, 200, 403, 403, 200, 200],
    };

    public static TheoryData<string, As> Cases()
    {
        var data = new TheoryData<string, As>();
        foreach (var route in Routes.Keys)
            foreach (var who in Enum.GetValues<As>()) data.Add(route, who);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_route_answers_each_role_as_the_product_says_and_refusals_write_nothing(string name, As who)
    {
        var route = Routes[name];
        var expected = (HttpStatusCode)Expected[name][(int)who];
        var (url, body) = await route.Prepare(fleet);
        var before = await fleet.Factory.WrittenState();

        using var request = new HttpRequestMessage(route.Method, url);
        if (body is not null) request.Content = body as HttpContent ?? System.Net.Http.Json.JsonContent.Create(body, options: Client.Json);
        if (route.Method == HttpMethod.Put) request.Headers.TryAddWithoutValidation("If-Match", "*");
        var response = await fleet.As(who).Http.SendAsync(request);

        if ((int)expected >= 400)
        {
            await Client.Problem(response, expected);
            Assert.Equal(before, await fleet.Factory.WrittenState());
        }
        else
        {
            Assert.True(response.StatusCode == expected, $"{name} as {who}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Tooling outside the API, with its own tests: the Hangfire dashboard, the OpenAPI document and its page, health.</summary>
    private static readonly string[] NotInTheMatrix = ["/hangfire", "/openapi", "/scalar", "/health"];

    [Fact]
    public void Every_route_the_app_maps_is_in_the_matrix()
    {
        var mapped = fleet.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is null) // pages: PageAccessTests
            .Where(e => !NotInTheMatrix.Any(p => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} /{System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), @"\{(\w+):[^}]+\}", "{$1}")}"))
            .ToHashSet();
        Assert.True(mapped.SetEquals(mapped.Intersect(Routes.Keys)), "Not in the matrix: " + string.Join(", ", mapped.Except(Routes.Keys).Order()));
        Assert.Equal("", string.Join(", ", Routes.Keys.Except(mapped).Order()));
        Assert.Empty(Routes.Keys.Except(Expected.Keys));
    }

    [Fact]
    public async Task Health_openapi_and_the_api_page_need_no_token()
    {
        var anonymous = fleet.As(As.Anonymous);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/health")).StatusCode);
        var openapi = await anonymous.GetJson("/openapi/v1.json");
        foreach (var path in new[] { "/api/auth/token", "/api/users", "/api/units/{id}", "/api/vehicles", "/api/vehicles/{id}/dispose", "/api/violations", "/api/audit" })
            Assert.True(openapi["paths"]![path] is not null, $"OpenAPI lacks {path}");
        var scalar = await anonymous.Http.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("text/html", scalar.Content.Headers.ContentType!.ToString());
    }
}
