using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>The monthly archive: a closed month's reports made once, kept byte for byte, traced to who downloaded them.</summary>
public class ReportArchiveTests
{
    private static async Task<List<JsonNode>> Archive(Client who, string query = "") =>
        (await who.GetJson("/api/reports/archive?pageSize=500" + query))["items"]!.AsArray().Select(i => i!).ToList();

    [Fact]
    public async Task A_closed_month_is_archived_once_and_every_download_is_the_recorded_file_and_leaves_an_audit_entry()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var inspector = fleet.As(As.Inspector);
        var auditor = fleet.As(As.Auditor);
        // The clock stands in January 2027: a check in December, which has closed, and one in January, which has not.
        await Client.Read(await inspector.Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2026-12-20T02:00:00Z", location = "大院", finding = "PrivateUse" }), HttpStatusCode.Created);
        await Client.Read(await inspector.Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2027-01-05T02:00:00Z", location = "大院", finding = "Compliant" }), HttpStatusCode.Created);
        var schedule = Make.Id(await fleet.As(As.Admin).Publish(new { holidayId = Make.Id(await fleet.As(As.Admin).CreateHoliday(inDays: 10)), unitIds = new[] { fleet.UnitA } }));

        await fleet.Factory.RunReportArchive();
        await fleet.Factory.RunReportArchive();
        var december = await Archive(auditor);
        Assert.Equal(["2026-12 recovery-rates", "2026-12 spot-checks", "2026-12 violations"],
            december.Select(a => $"{a["month"]} {a["report"]}").Order(StringComparer.Ordinal));
        var spotChecks = december.Single(a => (string)a["report"]! == "spot-checks");
        Assert.Equal("2026-12-01", (string)spotChecks["filters"]!["from"]!);
        Assert.Equal("2026-12-31", (string)spotChecks["filters"]!["to"]!);
        Assert.Equal("spot-checks-2026-12.xlsx", (string)spotChecks["fileName"]!);
        Assert.Equal("system:report-archive", (string)spotChecks["createdBy"]!);
        var files = Directory.GetFiles(Path.Combine(fleet.Factory.DataDirectory, "reports"), "*.xlsx", SearchOption.AllDirectories);
        Assert.Equal(3, files.Length);

        // The download is the recorded file: its SHA-256, its header, and the month's rows only.
        var response = await auditor.Get($"/api/reports/archive/{spotChecks["id"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((string)spotChecks["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal((long)spotChecks["size"]!, bytes.Length);
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", response.Headers.GetValues("Repr-Digest").Single());
        using (var book = new Workbook(new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes)), bytes))
        {
            Assert.Equal("行政区划：济南市；检查时间：2026-12-01 至 2026-12-31", book.Sheet(1).Cell("B2").GetString());
            Assert.Equal(["公车私用"], Workbook.Rows(book.Sheet(2)).Select(r => r.Cell(7).GetString()));
        }
        var again = await (await fleet.As(As.Inspector).Get($"/api/reports/archive/{spotChecks["id"]}")).Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, again);

        // Who downloaded which report, with which filters, live or archived.
        (await Workbook.Download(auditor, $"/api/reports/violations.xlsx?from=2026-12-01&type=PrivateUse")).Dispose();
        var live = (await fleet.As(As.Admin).GetJson("/api/audit?entity=Report"))["items"]!.AsArray().First()!;
        Assert.Equal("Download", (string)live["action"]!);
        Assert.Equal("violations", (string)live["entityId"]!);
        Assert.StartsWith("auditor", (string)live["actor"]!);
        Assert.Equal("PrivateUse", (string)live["after"]!["filters"]!["type"]!);
        Assert.Equal("2026-12-01", (string)live["after"]!["filters"]!["from"]!);
        var archived = (await fleet.As(As.Admin).GetJson($"/api/audit?entity=ArchivedReport&entityId={spotChecks["id"]}"))["items"]!.AsArray()
            .Select(a => a!).Where(a => (string)a["action"]! == "Download").ToList();
        Assert.Equal(2, archived.Count);
        Assert.Equal(["inspector", "auditor"], archived.Select(a => new string(((string)a["actor"]!).TakeWhile(char.IsLetter).ToArray())));
        Assert.All(archived, a => Assert.Equal((string)spotChecks["sha256"]!, (string)a["after"]!["sha256"]!));
        // The archive's own records are audited when made.
        Assert.Single((await fleet.As(As.Admin).GetJson($"/api/audit?entity=ArchivedReport&entityId={spotChecks["id"]}"))["items"]!.AsArray(),
            a => (string)a!["action"]! == "Create");

        // January has ended, but for three days what is entered late still belongs in it: not archived yet.
        fleet.Factory.MoveTo(new DateTime(2027, 2, 3, 2, 0, 0, DateTimeKind.Utc));
        await fleet.Factory.RunReportArchive();
        Assert.Empty(await Archive(auditor, "&month=2027-01"));
        // Then its reports join, with the compliance report of the schedule released in it; December stays as it was.
        fleet.Factory.MoveTo(new DateTime(2027, 2, 5, 2, 0, 0, DateTimeKind.Utc));
        await fleet.Factory.RunReportArchive();
        var all = await Archive(auditor);
        Assert.Equal(["2027-01 recovery-rates", "2027-01 sealup-compliance", "2027-01 spot-checks", "2027-01 violations"],
            all.Where(a => (string)a["month"]! == "2027-01").Select(a => $"{a["month"]} {a["report"]}").Order(StringComparer.Ordinal));
        Assert.Equal(schedule.ToString(), (string)all.Single(a => (string)a["report"]! == "sealup-compliance")["subject"]!);
        Assert.Equal("2027-02-05 10:00", (string)all.Single(a => (string)a["report"]! == "recovery-rates" && (string)a["month"]! == "2027-01")["filters"]!["asOf"]!);
        // Nothing left behind in the folder: one file per record.
        Assert.Equal(all.Count, Directory.GetFiles(Path.Combine(fleet.Factory.DataDirectory, "reports"), "*", SearchOption.AllDirectories).Length);
        Assert.Equal(3, (await Archive(auditor, "&month=2026-12")).Count);
        Assert.Equal((string)spotChecks["sha256"]!, (string)(await Archive(auditor, "&month=2026-12&report=spot-checks")).Single()["sha256"]!);

        // A file altered in the archive folder is refused, never served as if it were the record.
        var stored = Path.Combine(fleet.Factory.DataDirectory, "reports", "2026-12", $"{spotChecks["sha256"]}.xlsx");
        await File.AppendAllTextAsync(stored, "x");
        var problem = await Client.Problem(await auditor.Get($"/api/reports/archive/{spotChecks["id"]}"), HttpStatusCode.Conflict);
        Assert.Contains("SHA-256", problem.ToJsonString());
        await Client.Problem(await auditor.Get($"/api/reports/archive/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }
}
