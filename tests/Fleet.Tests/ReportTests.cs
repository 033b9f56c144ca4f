using System.Net;
using ClosedXML.Excel;
using Fleet.Tests.Support;

namespace Fleet.Tests;

public class ReportTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static void AssertTitleBlock(IXLWorksheet sheet, string title, DateTimeOffset now)
    {
        Assert.Contains(title, sheet.Cell("A1").GetString());
        Assert.Contains("Filters", sheet.Cell("A2").GetString());
        Assert.Equal("Asia/Shanghai", sheet.Cell("B3").GetString());
        Assert.Equal(XLDataType.DateTime, sheet.Cell("B4").DataType);
        Assert.Equal(TimeZoneInfo.ConvertTime(now, Shanghai).DateTime, sheet.Cell("B4").GetDateTime(), TimeSpan.FromMinutes(1));
        // Header row 6 is frozen and filterable.
        Assert.Equal(6, sheet.SheetView.SplitRow);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal(6, sheet.AutoFilter.Range.FirstRow().RowNumber());
    }

    [Fact]
    public async Task The_violations_report_holds_the_summary_every_violation_and_its_actions_cell_by_cell()
    {
        var admin = fleet.As(As.Admin);
        var inspector = fleet.As(As.Inspector);
        var unit = await admin.CreateUnit(FleetFixture.Code("RV"), name: "区交通运输局");
        var unitId = Make.Id(unit);
        var vehicle = await admin.RegisterVehicle(Make.Vehicle(unitId, v => v["source"] = "BorrowedFromEnterprise"));
        var checkedAt = new DateTime(2026, 10, 2, 2, 30, 0, DateTimeKind.Utc);
        var check = await Client.Read(await inspector.Post("/api/spot-checks", new
        {
            vehicleId = Make.Id(vehicle),
            checkedAt,
            location = "东湖风景区",
            finding = "PrivateUse",
            notes = "=HYPERLINK(\"http://evil\",\"点我\")",
        }), HttpStatusCode.Created);
        await Client.Read(await inspector.Post($"/api/violations/{check["violationId"]}/actions", new { personName = "张三", position = "@主任", action = "Admonishment", note = "+诫勉谈话" }), HttpStatusCode.Created);

        using var book = await Workbook.Download(fleet.As(As.Auditor), $"/api/reports/violations.xlsx?unitId={unitId}");
        Assert.Equal(["汇总 Summary", "违规明细 Violations", "问责处理 Actions"], book.Book.Worksheets.Select(s => s.Name).ToArray());

        var summary = book.Sheet(1);
        AssertTitleBlock(summary, "Violations by unit and type", fleet.Factory.Clock.GetUtcNow());
        Assert.Contains($"unitId={unitId}", summary.Cell("B2").GetString());
        var headers = summary.Row(6).CellsUsed().Select(c => c.GetString()).ToList();
        var unitRow = Workbook.Rows(summary).Single(r => r.Cell(1).GetString() == (string)unit["code"]!);
        Assert.Equal("区交通运输局", unitRow.Cell(2).GetString());
        Assert.Equal(1, unitRow.Cell(headers.IndexOf("IllegalSource") + 1).GetDouble());
        Assert.Equal(XLDataType.Number, unitRow.Cell(headers.IndexOf("PrivateUse") + 1).DataType);
        Assert.Equal(1, unitRow.Cell(headers.IndexOf("PrivateUse") + 1).GetDouble());
        Assert.Equal(2, unitRow.Cell(headers.Count).GetDouble());

        var details = book.Sheet(2);
        AssertTitleBlock(details, "Every violation", fleet.Factory.Clock.GetUtcNow());
        var privateUse = Workbook.Rows(details).Single(r => r.Cell(2).GetString() == "PrivateUse");
        Assert.Equal(XLDataType.DateTime, privateUse.Cell(1).DataType);
        Assert.Equal(new DateTime(2026, 10, 2, 10, 30, 0), privateUse.Cell(1).GetDateTime()); // 02:30 UTC is 10:30 in Shanghai
        Assert.Equal((string)vehicle["plateNumber"]!, privateUse.Cell(3).GetString());
        Assert.Equal("区交通运输局", privateUse.Cell(5).GetString());
        Assert.Equal(1, privateUse.Cell(8).GetDouble());
        var notes = privateUse.Cell(9);
        Assert.Equal("=HYPERLINK(\"http://evil\",\"点我\")", notes.GetString());
        Assert.False(notes.HasFormula);
        Assert.Equal(XLDataType.Text, notes.DataType);
        Assert.True(notes.Style.IncludeQuotePrefix);

        var actions = Workbook.Rows(book.Sheet(3)).Single();
        Assert.Equal("张三", actions.Cell(2).GetString());
        Assert.Equal("@主任", actions.Cell(3).GetString());
        Assert.Equal("Admonishment", actions.Cell(4).GetString());
        Assert.Equal("+诫勉谈话", actions.Cell(5).GetString());
        // Nothing in the sheets' XML is a formula.
        Assert.DoesNotContain("<f>", book.SheetXml());
        Assert.DoesNotContain("<f ", book.SheetXml());
    }

    [Fact]
    public async Task Report_filters_select_the_rows()
    {
        var admin = fleet.As(As.Admin);
        var unitId = Make.Id(await admin.CreateUnit(FleetFixture.Code("RF")));
        await admin.RegisterVehicle(Make.Vehicle(unitId, v => v["source"] = "Seconded"));
        await admin.RegisterVehicle(Make.Vehicle(unitId, v => v["engineDisplacement"] = 3.0m));

        using (var typed = await Workbook.Download(admin, $"/api/reports/violations.xlsx?unitId={unitId}&type=OverStandard&status=Open"))
            Assert.Equal(["OverStandard"], Workbook.Rows(typed.Sheet(2)).Select(r => r.Cell(2).GetString()).ToArray());
        using (var future = await Workbook.Download(admin, $"/api/reports/violations.xlsx?unitId={unitId}&from=2031-01-01"))
            Assert.Empty(Workbook.Rows(future.Sheet(2)));
        await Client.Problem(await admin.Get("/api/reports/violations.xlsx?from=last-week"), HttpStatusCode.BadRequest, "from");
        await Client.Problem(await admin.Get("/api/reports/violations.xlsx?type=Bad"), HttpStatusCode.BadRequest, "type");
        await Client.Problem(await admin.Get("/api/reports/sealup-compliance.xlsx"), HttpStatusCode.BadRequest, "scheduleId");
        await Client.Problem(await admin.Get($"/api/reports/sealup-compliance.xlsx?scheduleId={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "scheduleId");
        await Client.Problem(await admin.Get($"/api/reports/recovery-rates.xlsx?campaignId={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "campaignId");
    }

    [Theory]
    [InlineData("/api/reports/violations.xlsx", "违规情况")]
    [InlineData("/api/reports/recovery-rates.xlsx", "专项清理收回率")]
    [InlineData("/api/reports/spot-checks.xlsx", "监督抽查")]
    public async Task Every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated_and_numbered_pages(string url, string title)
    {
        using var book = await Workbook.Download(fleet.As(As.Auditor), url);
        foreach (var sheet in book.Book.Worksheets)
        {
            Assert.Equal(ClosedXML.Excel.XLPageOrientation.Landscape, sheet.PageSetup.PageOrientation);
            Assert.Equal(ClosedXML.Excel.XLPaperSize.A4Paper, sheet.PageSetup.PaperSize);
            Assert.Equal(1, sheet.PageSetup.PagesWide);
            Assert.Equal(0, sheet.PageSetup.PagesTall);
            if (sheet.AutoFilter.IsEnabled)
                Assert.Equal(sheet.AutoFilter.Range.FirstRow().RowNumber(), sheet.PageSetup.FirstRowToRepeatAtTop);
        }
        var xml = book.SheetXml();
        Assert.Contains("fitToPage=\"1\"", xml);
        Assert.Contains($"<oddFooter>&amp;L{title}&amp;C第 &amp;P 页 / 共 &amp;N 页&amp;R生成于 ", xml);
    }

    [Fact]
    public async Task Reports_are_for_auditors_inspectors_and_admins_only()
    {
        foreach (var url in new[] { "/api/reports/violations.xlsx", "/api/reports/spot-checks.xlsx", "/api/reports/recovery-rates.xlsx" })
        {
            foreach (var who in new[] { As.Auditor, As.Inspector, As.Admin })
                (await Workbook.Download(fleet.As(who), url)).Dispose();
            await Client.Problem(await fleet.As(As.VehicleAdmin).Get(url), HttpStatusCode.Forbidden);
            await Client.Problem(await fleet.As(As.Anonymous).Get(url), HttpStatusCode.Unauthorized);
        }
        var response = await fleet.As(As.Auditor).Get("/api/reports/spot-checks.xlsx");
        Assert.StartsWith("spot-checks-", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
    }

    [Fact]
    public async Task The_recovery_rates_report_has_rates_as_percent_numbers_and_the_cases()
    {
        var admin = fleet.As(As.Admin);
        var inspector = fleet.As(As.Inspector);
        var campaign = Make.Id(await Client.Read(await admin.Post("/api/campaigns", new { name = "清理" + FleetFixture.Code(""), startsOn = "2026-03-01", endsOn = "2026-06-30" }), HttpStatusCode.Created));
        var unit = await admin.CreateUnit(FleetFixture.Code("RR"), name: "区财政局");
        var cases = new List<Guid>();
        for (var i = 0; i < 3; i++)
            cases.Add(Make.Id(await Client.Read(await inspector.Post("/api/recoveries", new { campaignId = campaign, plateNumber = Make.Plate(), unitId = Make.Id(unit), reason = "Unregistered", dueOn = "2026-06-30" }), HttpStatusCode.Created)));
        var today = fleet.Factory.LocalToday();
        await Client.Read(await inspector.Post($"/api/recoveries/{cases[0]}/recover", new { recoveredOn = today, disposition = "Auctioned" }), HttpStatusCode.OK);
        await Client.Read(await inspector.Post($"/api/recoveries/{cases[1]}/recover", new { recoveredOn = today, disposition = "Scrapped" }), HttpStatusCode.OK);

        using var book = await Workbook.Download(fleet.As(As.Auditor), $"/api/reports/recovery-rates.xlsx?campaignId={campaign}");
        var rates = book.Sheet(1);
        AssertTitleBlock(rates, "Recovery rates", fleet.Factory.Clock.GetUtcNow());
        var row = Workbook.Rows(rates).Single(r => r.Cell(1).GetString() == (string)unit["code"]!);
        Assert.Equal("区财政局", row.Cell(2).GetString());
        Assert.Equal([3.0, 2.0, 0.0, 1.0], Enumerable.Range(3, 4).Select(c => row.Cell(c).GetDouble()).ToArray());
        Assert.Equal(XLDataType.Number, row.Cell(7).DataType);
        Assert.Equal(2.0 / 3.0, row.Cell(7).GetDouble(), 5);
        Assert.Equal("0.00%", row.Cell(7).Style.NumberFormat.Format);
        var total = Workbook.Rows(rates).Last();
        Assert.Contains("Total", total.Cell(1).GetString());
        Assert.Equal(3, total.Cell(3).GetDouble());

        var lines = Workbook.Rows(book.Sheet(2));
        Assert.Equal(3, lines.Count);
        var recovered = lines.Single(r => r.Cell(10).GetString() == "Auctioned");
        Assert.Equal(today.ToDateTime(TimeOnly.MinValue), recovered.Cell(9).GetDateTime());
        Assert.Equal("yyyy-mm-dd", recovered.Cell(9).Style.NumberFormat.Format);
        Assert.Equal(new DateTime(2026, 6, 30), recovered.Cell(6).GetDateTime());
    }

    [Fact]
    public async Task The_seal_up_compliance_report_counts_each_unit()
    {
        var admin = fleet.As(As.Admin);
        var va = fleet.As(As.VehicleAdmin);
        var vehicles = new List<Guid>();
        var unitA = await admin.GetJson($"/api/units/{fleet.UnitA}");
        for (var i = 0; i < 4; i++) vehicles.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA))));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 25)), unitIds = new[] { fleet.UnitA } }));
        var orders = await admin.Orders(schedule);
        // Of this unit's orders: two sealed, one exempted, the rest left pending.
        await Client.Read(await va.Seal(schedule, vehicles[0]), HttpStatusCode.OK);
        await Client.Read(await va.Seal(schedule, vehicles[1]), HttpStatusCode.OK);
        var exemption = await Client.Read(await va.AskExemption(schedule, vehicles[2]), HttpStatusCode.Created);
        await Client.Read(await fleet.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.OK);

        using var book = await Workbook.Download(fleet.As(As.Inspector), $"/api/reports/sealup-compliance.xlsx?scheduleId={schedule}");
        var sheet = book.Sheet(1);
        AssertTitleBlock(sheet, "Seal-up compliance", fleet.Factory.Clock.GetUtcNow());
        // The schedule is named by its holiday and times, never by its id.
        Assert.DoesNotContain(schedule.ToString(), sheet.Cell("B2").GetString());
        Assert.Contains("封存时限", sheet.Cell("B2").GetString());
        var row = Workbook.Rows(sheet).Single(r => r.Cell(1).GetString() == (string)unitA["code"]!);
        var inScope = orders.Count;
        Assert.Equal(inScope, row.Cell(3).GetDouble());
        Assert.Equal(2, row.Cell(4).GetDouble());
        Assert.Equal(1, row.Cell(6).GetDouble());
        Assert.Equal(inScope - 3, row.Cell(9).GetDouble());
        Assert.Equal(3.0 / inScope, row.Cell(10).GetDouble(), 5);
        Assert.Equal("0.00%", row.Cell(10).Style.NumberFormat.Format);
        Assert.Equal(inScope, Workbook.Rows(book.Sheet(2)).Count);
        var sealedRow = Workbook.Rows(book.Sheet(2)).Single(r => r.Cell(1).GetString() == (string)orders[vehicles[0]]["plateNumber"]!);
        Assert.Equal("Sealed", sealedRow.Cell(4).GetString());
        Assert.Equal("区政府大院地下停车场B2", sealedRow.Cell(6).GetString());
        Assert.Equal(XLDataType.DateTime, sealedRow.Cell(7).DataType);
    }

    [Fact]
    public async Task The_spot_check_log_lists_checks_in_the_period_with_corrections()
    {
        var inspector = fleet.As(As.Inspector);
        var plate = Make.Plate();
        var unitId = Make.Id(await fleet.As(As.Admin).CreateUnit(FleetFixture.Code("RS")));
        var first = await Client.Read(await inspector.Post("/api/spot-checks", new { plateNumber = plate, unitId, checkedAt = "2026-05-01T01:00:00Z", location = "-负一层", finding = "OffSiteParking" }), HttpStatusCode.Created);
        await Client.Read(await inspector.Post("/api/spot-checks", new { plateNumber = plate, unitId, checkedAt = "2026-05-01T02:00:00Z", location = "大院", finding = "Compliant", correctsId = Make.Id(first) }), HttpStatusCode.Created);

        using var book = await Workbook.Download(fleet.As(As.Auditor), $"/api/reports/spot-checks.xlsx?from=2026-05-01&to=2026-05-01&unitId={unitId}");
        var rows = Workbook.Rows(book.Sheet(1));
        Assert.Equal(2, rows.Count);
        Assert.Equal("-负一层", rows[0].Cell(6).GetString());
        Assert.False(rows[0].Cell(6).HasFormula);
        Assert.Equal("否 No", rows[0].Cell(3).GetString());
        Assert.Equal("是 Yes", rows[0].Cell(11).GetString());
        Assert.Equal(((Guid)first["id"]!).ToString(), rows[1].Cell(10).GetString());
        Assert.Equal(new DateTime(2026, 5, 1, 9, 0, 0), rows[0].Cell(1).GetDateTime());
    }
}

public class ReportLimitTests
{
    [Fact]
    public async Task A_report_that_would_exceed_the_row_limit_is_a_400_naming_the_filters()
    {
        await using var fleet = await FleetFixture.StartAsync(new() { ["Fleet:Reports:MaxRows"] = "2" });
        var admin = fleet.As(As.Admin);
        for (var i = 0; i < 3; i++) await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["source"] = "Seconded"));
        var problem = await Client.Problem(await admin.Get("/api/reports/violations.xlsx"), HttpStatusCode.BadRequest, "from");
        Assert.Contains("at most 2", problem.ToJsonString());
        (await Workbook.Download(admin, $"/api/reports/violations.xlsx?unitId={fleet.UnitB}")).Dispose();
    }
}
