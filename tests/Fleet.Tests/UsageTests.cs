using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>Usage records (fuel, toll, trips) imported from outside systems: by file, once each, read in the caller's scope.</summary>
public class UsageTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    public static HttpContent File(byte[] bytes, string name)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { file, "file", name } };
    }

    /// <summary>One fuel transaction of a new vehicle of unit A, as CSV (for the authorization matrix).</summary>
    public static async Task<HttpContent> FuelOfA(FleetFixture f)
    {
        var plate = (string)(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)))["plateNumber"]!;
        return File(Encoding.UTF8.GetBytes($"plateNumber,time,station,litres,amount\n{plate},2026-10-02 10:00,中石化人民路站,40.5,320.00\n"), "fuel.csv");
    }

    private static byte[] Book(string[] header, params object[][] rows)
    {
        using var book = new ClosedXML.Excel.XLWorkbook();
        var sheet = book.AddWorksheet("记录");
        for (var c = 0; c < header.Length; c++) sheet.Cell(1, c + 1).Value = header[c];
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < rows[r].Length; c++)
            {
                var cell = sheet.Cell(r + 2, c + 1);
                switch (rows[r][c])
                {
                    case DateTime t: cell.Value = t; cell.Style.NumberFormat.Format = "yyyy-mm-dd hh:mm"; break;
                    case double d: cell.Value = d; break;
                    default: cell.Value = rows[r][c].ToString(); break;
                }
            }
        using var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }

    private async Task<string> PlateOf(Guid unit) => (string)(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(unit)))["plateNumber"]!;

    /// <summary>The import's own time reader takes and refuses exactly what DateTime.TryParseExact does with the contract's two formats.</summary>
    [Theory]
    [InlineData("2026-10-03 08:15")]
    [InlineData("2026-10-03 08:15:59")]
    [InlineData("2028-02-29 23:59")]
    [InlineData("2026-02-29 10:00")]
    [InlineData("2026-13-01 10:00")]
    [InlineData("2026-00-10 10:00")]
    [InlineData("2026-10-32 10:00")]
    [InlineData("2026-10-03 24:00")]
    [InlineData("2026-10-03 23:60")]
    [InlineData("2026-10-03 23:59:60")]
    [InlineData("2026-1-03 08:15")]
    [InlineData("2026-10-03T08:15")]
    [InlineData("2026/10/03 08:15")]
    [InlineData("2026-10-03 08:15:5")]
    [InlineData("２０２６-10-03 08:15")]
    [InlineData("0000-10-03 08:15")]
    [InlineData("")]
    public void The_time_reader_agrees_with_the_framework(string text)
    {
        var expected = DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var want);
        Assert.Equal((expected, want), (Fleet.Api.Features.Usage.UsageSheet.TryParseLocal(text, out var got), got));
    }

    [Fact]
    public async Task A_fuel_workbook_with_chinese_headers_imports_once_and_a_second_import_adds_nothing()
    {
        var plate = await PlateOf(fleet.UnitA);
        var book = Book(["车牌号", "交易时间", "加油站", "升数", "金额"],
            [plate, "2026-10-02 10:00", "中石化人民路站", 40.5, 320.0],
            [plate, new DateTime(2026, 10, 3, 18, 30, 0), "中石油解放路站", "35", "280.5"],
            [plate, "2026-10-02 10:00", "中石化人民路站", 40.5, 320.0]);
        var inspector = fleet.As(As.Inspector);
        var first = await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(book, "fuel.xlsx")), HttpStatusCode.OK);
        Assert.Equal((2, 1), ((int)first["imported"]!, (int)first["duplicates"]!));
        var again = await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(book, "fuel.xlsx")), HttpStatusCode.OK);
        Assert.Equal((0, 3), ((int)again["imported"]!, (int)again["duplicates"]!));

        var listed = (await inspector.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray();
        Assert.Equal(2, listed.Count);
        // Local times (Asia/Shanghai) stored as UTC instants; newest first.
        Assert.Equal(new DateTime(2026, 10, 3, 10, 30, 0, DateTimeKind.Utc), ((DateTime)listed[0]!["startedAt"]!).ToUniversalTime());
        Assert.Equal(new DateTime(2026, 10, 2, 2, 0, 0, DateTimeKind.Utc), ((DateTime)listed[1]!["startedAt"]!).ToUniversalTime());
        Assert.Equal(("Fuel", "中石化人民路站", 40.5m, 320m), ((string)listed[1]!["kind"]!, (string)listed[1]!["place"]!, (decimal)listed[1]!["quantity"]!, (decimal)listed[1]!["amount"]!));
        Assert.Equal(fleet.UnitA, (Guid)listed[1]!["unitId"]!);
        // Each import is audited once, by the importer, with the file's SHA-256 and counts; the records name it.
        var imports = await fleet.Factory.Db(db => db.UsageImports.Where(i => i.Sha256 == Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(book)))
            .OrderBy(i => i.ImportedAt).ToListAsync());
        Assert.Equal([(3, 2, 1, "fuel.xlsx"), (3, 0, 3, "fuel.xlsx")], imports.Select(i => (i.Rows, i.Imported, i.Duplicates, i.FileName)).ToList());
        var audit = (await fleet.As(As.Auditor).GetJson($"/api/audit?entity=UsageImport&entityId={imports[0].Id}"))["items"]!.AsArray();
        Assert.Equal(("Create", fleet.Account(As.Inspector).Username), ((string)audit.Single()!["action"]!, (string)audit.Single()!["actor"]!));
        Assert.Contains(imports[0].Sha256, audit.Single()!["after"]!.ToJsonString());
        Assert.All(await fleet.Factory.Db(db => db.UsageRecords.Where(u => u.PlateNumber == plate).Select(u => u.ImportId).ToListAsync()), id => Assert.Equal(imports[0].Id, id));
    }

    /// <summary>
    /// A file larger than a part goes in as several parts on the servers (each its own transaction, audited), on SQLite
    /// as one; either way every row once, a row repeated across parts a duplicate, and the same file again nothing.
    /// </summary>
    [Fact]
    public async Task A_file_of_several_parts_imports_every_row_once_and_again_nothing()
    {
        await using var f = await FleetFixture.StartAsync(new() { ["Fleet:Usage:PartRows"] = "1000" });
        var plate = (string)(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)))["plateNumber"]!;
        var csv = new StringBuilder("车牌号,开始时间,起点,结束时间,终点,里程\n");
        var start = new DateTime(2026, 10, 1, 0, 0, 0);
        for (var i = 0; i < 2500; i++)
            csv.Append($"{plate},{start.AddMinutes(10 * i):yyyy-MM-dd HH:mm},机关大院,{start.AddMinutes(10 * i + 5):yyyy-MM-dd HH:mm},城东水库,3.5\n");
        // The first row again at the end: in another part on the servers.
        csv.Append($"{plate},{start:yyyy-MM-dd HH:mm},机关大院,{start.AddMinutes(5):yyyy-MM-dd HH:mm},城东水库,3.5\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());

        var first = await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Trip", File(bytes, "gps.csv")), HttpStatusCode.OK);
        Assert.Equal((2500, 1), ((int)first["imported"]!, (int)first["duplicates"]!));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var parts = await f.Factory.Db(db => db.UsageImports.Where(i => i.Sha256 == sha).OrderBy(i => i.Imported).ToListAsync());
        List<(int, int, int)> expected = FleetFactory.Postgres is null ? [(2501, 2500, 1)] : [(501, 500, 1), (1000, 1000, 0), (1000, 1000, 0)];
        Assert.Equal(expected, parts.Select(p => (p.Rows, p.Imported, p.Duplicates)).OrderBy(p => p.Item2).ThenBy(p => p.Item3).ToList());
        // Each part audited; each record names its part.
        foreach (var part in parts)
            Assert.Single((await f.As(As.Auditor).GetJson($"/api/audit?entity=UsageImport&entityId={part.Id}"))["items"]!.AsArray());
        var byPart = await f.Factory.Db(db => db.UsageRecords.GroupBy(u => u.ImportId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(parts.Select(p => (p.Id, p.Imported)).OrderBy(p => p.Id).ToList(), byPart.Select(g => (g.Key!.Value, g.Count)).OrderBy(p => p.Item1).ToList());

        var again = await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Trip", File(bytes, "gps.csv")), HttpStatusCode.OK);
        Assert.Equal((0, 2501), ((int)again["imported"]!, (int)again["duplicates"]!));
        Assert.Equal(2500, await f.Factory.Db(db => db.UsageRecords.CountAsync()));
    }

    [Fact]
    public async Task Toll_and_trip_records_come_as_csv_in_utf8_or_in_the_gb18030_excel_saves()
    {
        var plate = await PlateOf(fleet.UnitA);
        var admin = fleet.As(As.Admin);
        var toll = $"\uFEFFplateNumber,entryTime,entryStation,exitTime,exitStation,fee\r\n{plate},2026-10-04 08:00,\"广州北站, 入口\",2026-10-04 09:15:30,深圳南,85\r\n";
        var tolls = await Client.Read(await admin.Http.PostAsync("/api/usage/import?kind=Toll", File(Encoding.UTF8.GetBytes(toll), "etc.csv")), HttpStatusCode.OK);
        Assert.Equal(1, (int)tolls["imported"]!);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var trip = $"车牌号,开始时间,起点,结束时间,终点,里程\r\n{plate},2026-10-05 07:00,机关大院,2026-10-05 08:10,城东水库,42.3\r\n";
        var trips = await Client.Read(await admin.Http.PostAsync("/api/usage/import?kind=Trip", File(Encoding.GetEncoding("GB18030").GetBytes(trip), "gps.csv")), HttpStatusCode.OK);
        Assert.Equal(1, (int)trips["imported"]!);

        var items = (await admin.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}&pageSize=10"))["items"]!.AsArray();
        var t = items.Single(i => (string)i!["kind"]! == "Toll")!;
        Assert.Equal(("广州北站, 入口", "深圳南", 85m), ((string)t["place"]!, (string)t["endPlace"]!, (decimal)t["amount"]!));
        Assert.Equal(new DateTime(2026, 10, 4, 1, 15, 30, DateTimeKind.Utc), ((DateTime)t["endedAt"]!).ToUniversalTime());
        var g = items.Single(i => (string)i!["kind"]! == "Trip")!;
        Assert.Equal(("机关大院", "城东水库", 42.3m), ((string)g["place"]!, (string)g["endPlace"]!, (decimal)g["quantity"]!));
        Assert.Single((await admin.GetJson($"/api/usage?kind=Trip&plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_place_written_with_full_width_or_extra_spaces_is_the_same_record_and_amounts_round_half_up_from_their_text()
    {
        var plate = await PlateOf(fleet.UnitA);
        var inspector = fleet.As(As.Inspector);
        var first = $"plateNumber,time,station,litres,amount\n{plate},2026-10-06 10:00,\"中石化 人民路站, 2号\",40.125,320.005\n";
        Assert.Equal(1, (int)(await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(first), "a.csv")), HttpStatusCode.OK))["imported"]!);
        // The same transaction from another export: a full-width comma and a double space.
        var again = $"plateNumber,time,station,litres,amount\n{plate},2026-10-06 10:00,中石化  人民路站，2号,40.13,320.01\n";
        var second = await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(again), "b.csv")), HttpStatusCode.OK);
        Assert.Equal((0, 1), ((int)second["imported"]!, (int)second["duplicates"]!));
        var stored = (await inspector.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray().Single()!;
        Assert.Equal((40.13m, 320.01m), ((decimal)stored["quantity"]!, (decimal)stored["amount"]!));
    }

    [Fact]
    public async Task A_trip_of_more_than_48_hours_or_a_quote_never_closed_is_refused_naming_the_row()
    {
        var plate = await PlateOf(fleet.UnitA);
        var admin = fleet.As(As.Admin);
        var trip = $"plateNumber,startTime,startPlace,endTime,endPlace,distanceKm\n{plate},2026-10-01 07:00,机关大院,2026-10-03 08:00,城东,42\n";
        var refused = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Trip", File(Encoding.UTF8.GetBytes(trip), "gps.csv")), HttpStatusCode.BadRequest);
        var error = refused["rowErrors"]!.AsArray().Single()!;
        Assert.Equal((2, "endTime"), ((int)error["row"]!, (string)error["field"]!));
        var open = $"plateNumber,startTime,startPlace,endTime,endPlace,distanceKm\n{plate},2026-10-01 07:00,\"机关大院,2026-10-01 08:00,城东,42\n";
        var file = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Trip", File(Encoding.UTF8.GetBytes(open), "gps.csv")), HttpStatusCode.BadRequest);
        Assert.Equal((2, "startPlace"), ((int)file["rowErrors"]![0]!["row"]!, (string)file["rowErrors"]![0]!["field"]!));
        Assert.Empty((await admin.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task With_any_bad_row_nothing_is_imported_and_each_error_names_its_row_and_field()
    {
        var plate = await PlateOf(fleet.UnitA);
        var csv = "plateNumber,time,station,litres,amount\n" +
            $"{plate},2026-10-02 10:00,站一,40,300\n" +
            "京Z99999,2026-10-02 11:00,站二,40,300\n" +          // not registered
            $"{plate},02/10/2026,站三,40,300\n" +                 // not a time
            $"{plate},2026-10-02 12:00,,-4,abc\n" +              // no station, negative, not a number
            $"{plate},2099-01-01 00:00,站五,40,300\n";           // in the future
        var inspector = fleet.As(As.Inspector);
        var response = await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(csv), "fuel.csv"));
        var problem = await Client.Read(response, HttpStatusCode.BadRequest);
        var errors = problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToHashSet();
        Assert.Contains((4, "time"), errors);
        Assert.Contains((5, "station"), errors);
        Assert.Contains((5, "litres"), errors);
        Assert.Contains((5, "amount"), errors);
        Assert.Contains((6, "time"), errors);
        // The unregistered plate is named once the rows themselves are good.
        Assert.Equal(0, (int)(await inspector.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}"))["total"]!);
        var unknown = "plateNumber,time,station,litres,amount\n" + $"{plate},2026-10-02 10:00,站一,40,300\n" + "京Z99999,2026-10-02 11:00,站二,40,300\n";
        var refused = await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(unknown), "fuel.csv")), HttpStatusCode.BadRequest);
        Assert.Equal((3, "plateNumber"), ((int)refused["rowErrors"]![0]!["row"]!, (string)refused["rowErrors"]![0]!["field"]!));
        Assert.Equal(0, (int)(await inspector.GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(plate)}"))["total"]!);

        // The kind, the header and the file itself are named when wrong.
        Assert.Contains("kind", (await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Gas", File(Encoding.UTF8.GetBytes(unknown), "x.csv")), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(p => p.Key));
        var noHeader = await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Toll", File(Encoding.UTF8.GetBytes(unknown), "x.csv")), HttpStatusCode.BadRequest);
        Assert.Contains("exitTime", noHeader["errors"]!["file"]![0]!.ToString());
        var binary = new byte[] { 0, 1, 2, 3, 0, 0, 7 };
        Assert.Contains("file", (await Client.Read(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", File(binary, "x.csv")), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_vehicle_admin_reads_only_their_units_records_and_imports_none()
    {
        var ofA = await PlateOf(fleet.UnitA);
        var ofB = await PlateOf(fleet.UnitB);
        var csv = "plateNumber,time,station,litres,amount\n" + $"{ofA},2026-10-06 10:00,站A,30,200\n" + $"{ofB},2026-10-06 10:00,站B,30,200\n";
        await Client.Read(await fleet.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(csv), "fuel.csv")), HttpStatusCode.OK);

        var own = (await fleet.As(As.VehicleAdmin).GetJson("/api/usage?pageSize=500"))["items"]!.AsArray();
        Assert.Contains(own, i => (string)i!["plateNumber"]! == ofA);
        Assert.DoesNotContain(own, i => (string)i!["plateNumber"]! == ofB);
        Assert.All(own, i => Assert.Equal(fleet.UnitA, (Guid)i!["unitId"]!));
        Assert.Equal(HttpStatusCode.Forbidden, (await fleet.As(As.VehicleAdmin).Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(csv), "fuel.csv"))).StatusCode);
    }

    [Fact]
    public async Task A_local_time_the_clocks_skipped_is_a_row_error_in_a_zone_with_daylight_saving()
    {
        await using var berlin = await FleetFixture.StartAsync(new() { ["Fleet:TimeZone"] = "Europe/Berlin" });
        var plate = (string)(await berlin.As(As.Admin).RegisterVehicle(Make.Vehicle(berlin.UnitA)))["plateNumber"]!;
        var csv = "plateNumber,time,station,litres,amount\n" + $"{plate},2026-03-29 01:59,站一,40,300\n" + $"{plate},2026-03-29 02:30,站二,40,300\n";
        var problem = await Client.Read(await berlin.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel", File(Encoding.UTF8.GetBytes(csv), "fuel.csv")), HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["rowErrors"]!.AsArray())!;
        Assert.Equal((3, "time"), ((int)error["row"]!, (string)error["field"]!));
    }
}
