using System.Net;
using ClosedXML.Excel;
using Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

public class ReportTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static void AssertTitleBlock(IXLWorksheet sheet, string title, DateTimeOffset now)
    {
        Assert.Contains(title, sheet.Cell("A1").GetString());
        Assert.Equal("筛选条件", sheet.Cell("A2").GetString());
        Assert.Equal("北京时间（UTC+08:00）", sheet.Cell("B3").GetString());
        Assert.Equal("生成时间", sheet.Cell("A4").GetString());
        var made = DateTime.ParseExact(sheet.Cell("B4").GetString(), "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeZoneInfo.ConvertTime(now, Shanghai).DateTime, made, TimeSpan.FromMinutes(1));
        // Header row 6 is frozen and filterable.
        Assert.Equal(6, sheet.SheetView.SplitRow);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal(6, sheet.AutoFilter.Range.FirstRow().RowNumber());
    }

    [Fact]
    public async Task A_report_one_row_longer_than_a_block_holds_each_row_once_and_ends()
    {
        // The details are read in blocks of ReportFile.Block rows. SQLite starts a statement over when it is stepped
        // after its last row: the read after a last, partial block must not step it again (it ran for ever once).
        var admin = fleet.As(As.Admin);
        var unitId = Make.Id(await admin.CreateUnit(FleetFixture.Code("BK"), name: "整块单位"));
        var first = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var scope = fleet.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Fleet.Data.FleetDbContext>();
            db.Violations.AddRange(Enumerable.Range(0, Fleet.Api.Features.Reports.ReportFile.Block + 1).Select(i => new Fleet.Data.Entities.Violation
            {
                Type = Fleet.Data.Entities.ViolationType.Other,
                UnitId = unitId,
                PlateNumber = $"鲁A{i:D5}",
                DetectedAt = first.AddMinutes(i).AddTicks(i),
                Source = Fleet.Data.Entities.ViolationSource.Manual,
                Status = Fleet.Data.Entities.ViolationStatus.Open,
                Notes = i % 2 == 0 ? null : $"第{i}条 <备注> & \"引号\"",
            }));
            await db.SaveChangesAsync();
        }
        using var book = await Workbook.Download(admin, $"/api/reports/violations.xlsx?unitId={unitId}").WaitAsync(TimeSpan.FromMinutes(2));
        var rows = Workbook.Rows(book.Book.Worksheet("违规明细"));
        Assert.Equal(Fleet.Api.Features.Reports.ReportFile.Block + 1, rows.Count);
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(i => $"鲁A{i:D5}"), rows.Select(r => r.Cell(3).GetString()));
        // Times to the tick as stored, in Beijing time; text as stored, markup and all; NULL as an empty cell.
        Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(first.AddMinutes(7).AddTicks(7), Shanghai), rows[7].Cell(1).GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal("第7条 <备注> & \"引号\"", rows[7].Cell(9).GetString());
        Assert.True(rows[8].Cell(9).IsEmpty());
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
        Assert.Equal(["汇总", "分类统计", "违规明细", "问责处理"], book.Book.Worksheets.Select(s => s.Name).ToArray());

        var summary = book.Sheet(1);
        AssertTitleBlock(summary, "违规问题汇总", fleet.Factory.Clock.GetUtcNow());
        // The unit filter is named by the unit, never by its id.
        // The filter line names the region the report covers (the deployment's root here), then the filters.
        Assert.Equal($"行政区划：济南市；单位：区交通运输局（{unit["code"]}）", summary.Cell("B2").GetString());
        Assert.DoesNotContain(unitId.ToString(), book.SheetXml());
        var headers = summary.Row(6).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Equal(["单位代码", "单位名称", "超编制配备", "超标准配备", "违规借用车辆"], headers.Take(5));
        var unitRow = Workbook.Rows(summary).Single(r => r.Cell(1).GetString() == (string)unit["code"]!);
        Assert.Equal("区交通运输局", unitRow.Cell(2).GetString());
        Assert.Equal(1, unitRow.Cell(headers.IndexOf("违规借用车辆") + 1).GetDouble());
        Assert.Equal(XLDataType.Number, unitRow.Cell(headers.IndexOf("公车私用") + 1).DataType);
        Assert.Equal(1, unitRow.Cell(headers.IndexOf("公车私用") + 1).GetDouble());
        Assert.Equal(2, unitRow.Cell(headers.Count).GetDouble());
        // The totals row follows the table, outside its filter range, in bold numbers.
        var total = Workbook.Rows(summary).Last();
        Assert.Equal("合计", total.Cell(1).GetString());
        Assert.Equal(2, total.Cell(headers.Count).GetDouble());
        Assert.True(total.Cell(headers.Count).Style.Font.Bold);
        Assert.Equal(total.RowNumber() - 1, summary.AutoFilter.Range.LastRow().RowNumber());

        // Counts by type and status, and the actions by kind.
        var counts = book.Sheet(2);
        AssertTitleBlock(counts, "违规问题分类统计", fleet.Factory.Clock.GetUtcNow());
        var countHeaders = counts.Row(6).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Equal(["违规类型", "待处理", "已整改", "已撤销", "合计", "占比"], countHeaders);
        // One row per violation type, then the total.
        var typeRows = Enum.GetValues<Fleet.Data.Entities.ViolationType>().Length + 2;
        var byType = Workbook.Rows(counts).Where(r => r.RowNumber() < 6 + typeRows).ToDictionary(r => r.Cell(1).GetString());
        Assert.Equal(1, byType["公车私用"].Cell(2).GetDouble());
        Assert.Equal(1, byType["违规借用车辆"].Cell(5).GetDouble());
        Assert.Equal(0.5, byType["公车私用"].Cell(6).GetDouble(), 5);
        Assert.Equal("0.00%", byType["公车私用"].Cell(6).Style.NumberFormat.Format);
        Assert.Equal(2, byType["合计"].Cell(5).GetDouble());
        var kindRows = Workbook.Rows(counts).Where(r => r.RowNumber() > 6 + typeRows).ToList();
        Assert.Equal(1, kindRows.Single(r => r.Cell(1).GetString() == "诫勉谈话").Cell(2).GetDouble());
        Assert.Equal(0, kindRows.Single(r => r.Cell(1).GetString() == "党纪处分").Cell(2).GetDouble());
        Assert.Equal(1, kindRows.Last().Cell(2).GetDouble());

        var details = book.Sheet(3);
        AssertTitleBlock(details, "违规问题明细", fleet.Factory.Clock.GetUtcNow());
        var privateUse = Workbook.Rows(details).Single(r => r.Cell(2).GetString() == "公车私用");
        Assert.Equal(XLDataType.DateTime, privateUse.Cell(1).DataType);
        Assert.Equal(new DateTime(2026, 10, 2, 10, 30, 0), privateUse.Cell(1).GetDateTime()); // 02:30 UTC is 10:30 in Shanghai
        Assert.Equal((string)vehicle["plateNumber"]!, privateUse.Cell(3).GetString());
        Assert.Equal("区交通运输局", privateUse.Cell(5).GetString());
        Assert.Equal("监督抽查", privateUse.Cell(6).GetString());
        Assert.Equal("待处理", privateUse.Cell(7).GetString());
        Assert.Equal(1, privateUse.Cell(8).GetDouble());
        var notes = privateUse.Cell(9);
        Assert.Equal("=HYPERLINK(\"http://evil\",\"点我\")", notes.GetString());
        Assert.False(notes.HasFormula);
        Assert.Equal(XLDataType.Text, notes.DataType);
        Assert.True(notes.Style.IncludeQuotePrefix);

        var actions = Workbook.Rows(book.Sheet(4)).Single();
        Assert.Equal("张三", actions.Cell(2).GetString());
        Assert.Equal("@主任", actions.Cell(3).GetString());
        Assert.Equal("诫勉谈话", actions.Cell(4).GetString());
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
        {
            Assert.Equal(["超标准配备"], Workbook.Rows(typed.Sheet(3)).Select(r => r.Cell(2).GetString()).ToArray());
            Assert.EndsWith("类型：超标准配备；状态：待处理", typed.Sheet(3).Cell("B2").GetString());
        }
        using (var future = await Workbook.Download(admin, $"/api/reports/violations.xlsx?unitId={unitId}&from=2031-01-01"))
        {
            Assert.Empty(Workbook.Rows(future.Sheet(3)));
            Assert.StartsWith("行政区划：济南市；发现时间：2031-01-01 起；单位：", future.Sheet(3).Cell("B2").GetString());
        }
        await Client.Problem(await admin.Get($"/api/reports/violations.xlsx?unitId={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await admin.Get($"/api/reports/spot-checks.xlsx?unitId={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "unitId");
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
        // The file is named in Chinese (filename*), as the page lists it.
        Assert.Matches(@"^监督抽查-\d{8}-\d{4}\.xlsx$", response.Content.Headers.ContentDisposition!.FileNameStar);
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
        AssertTitleBlock(rates, "违规公务用车收回率", fleet.Factory.Clock.GetUtcNow());
        Assert.Contains("专项清理：清理", rates.Cell("B2").GetString());
        var row = Workbook.Rows(rates).Single(r => r.Cell(1).GetString() == (string)unit["code"]!);
        Assert.Equal("区财政局", row.Cell(2).GetString());
        Assert.Equal([3.0, 2.0, 0.0, 1.0], Enumerable.Range(3, 4).Select(c => row.Cell(c).GetDouble()).ToArray());
        Assert.Equal(XLDataType.Number, row.Cell(7).DataType);
        Assert.Equal(2.0 / 3.0, row.Cell(7).GetDouble(), 5);
        Assert.Equal("0.00%", row.Cell(7).Style.NumberFormat.Format);
        var total = Workbook.Rows(rates).Last();
        Assert.Equal("合计", total.Cell(1).GetString());
        Assert.Equal(3, total.Cell(3).GetDouble());
        Assert.Equal("0.00%", total.Cell(7).Style.NumberFormat.Format);

        Assert.Equal(["收回率", "图表", "案件"], book.Book.Worksheets.Select(s => s.Name).ToArray());
        // The chart sheet ranks the units and draws them as a native bar chart over that table.
        var chartSheet = book.Sheet(2);
        var ranked = Workbook.Rows(chartSheet).TakeWhile(r => !r.Cell(2).IsEmpty()).ToList();
        Assert.Contains(ranked, r => r.Cell(2).GetString() == "区财政局" && Math.Abs(r.Cell(3).GetDouble() - 2.0 / 3.0) < 1e-5);
        Assert.Equal(ranked.Select(r => r.Cell(3).GetDouble()).OrderDescending(), ranked.Select(r => r.Cell(3).GetDouble()));
        var chart = AssertBarChart(book, "图表", ranked.Count);
        Assert.Contains("<c:v>区财政局</c:v>", chart);

        var lines = Workbook.Rows(book.Sheet(3));
        Assert.Equal(3, lines.Count);
        var recovered = lines.Single(r => r.Cell(10).GetString() == "公开拍卖");
        Assert.Equal("已收回", recovered.Cell(7).GetString());
        Assert.Equal("未登记", recovered.Cell(5).GetString());
        Assert.Equal(today.ToDateTime(TimeOnly.MinValue), recovered.Cell(9).GetDateTime());
        Assert.Equal("yyyy-mm-dd", recovered.Cell(9).Style.NumberFormat.Format);
        Assert.Equal(new DateTime(2026, 6, 30), recovered.Cell(6).GetDateTime());
    }

    /// <summary>A native horizontal bar chart (drawing and chart parts wired to the sheet) whose categories and values are the
    /// sheet's ranked table, as ranges and as cached values; returns the chart part.</summary>
    private static string AssertBarChart(Workbook book, string sheetName, int points)
    {
        Assert.Contains("xl/drawings/drawing1.xml", book.PartNames());
        Assert.Contains("../drawings/drawing1.xml", book.Part("xl/worksheets/_rels/sheet2.xml.rels"));
        Assert.Contains("<drawing r:id=\"rId1\"/>", book.Part("xl/worksheets/sheet2.xml"));
        Assert.Contains("drawingml.chart+xml", book.Part("[Content_Types].xml"));
        var chart = book.Part("xl/charts/chart1.xml")!;
        var xml = System.Xml.Linq.XDocument.Parse(chart);
        System.Xml.Linq.XNamespace c = "http://schemas.openxmlformats.org/drawingml/2006/chart";
        Assert.Equal("bar", xml.Descendants(c + "barDir").Single().Attribute("val")!.Value);
        var ranges = xml.Descendants(c + "f").Select(f => f.Value).ToList();
        Assert.Equal([$"'{sheetName}'!$B$7:$B${6 + points}", $"'{sheetName}'!$C$7:$C${6 + points}"], ranges);
        Assert.Equal(points, xml.Descendants(c + "strCache").Single().Elements(c + "pt").Count());
        // Every unit is named beside its bar: no label skipped however many bars (a 40-unit chart named every second one).
        Assert.Equal("1", xml.Descendants(c + "tickLblSkip").Single().Attribute("val")!.Value);
        return chart;
    }

    [Fact]
    public async Task Columns_fit_chinese_text_long_notes_wrap_and_times_have_room()
    {
        var inspector = fleet.As(As.Inspector);
        const string name = "区人力资源和社会保障局劳动保障监察大队";
        var unitId = Make.Id(await fleet.As(As.Admin).CreateUnit(FleetFixture.Code("RW"), name: name));
        var notes = string.Concat(Enumerable.Repeat("车辆停放在非指定地点，", 6));
        await Client.Read(await inspector.Post("/api/spot-checks", new { plateNumber = Make.Plate(), unitId, checkedAt = "2026-05-02T01:00:00Z", location = "大院", finding = "OffSiteParking", notes }), HttpStatusCode.Created);

        using var book = await Workbook.Download(fleet.As(As.Auditor), $"/api/reports/spot-checks.xlsx?from=2026-05-02&to=2026-05-02&unitId={unitId}");
        var sheet = book.Sheet(2);
        var row = Workbook.Rows(sheet).Single();
        // A Chinese character takes about two digit widths: the unit's 19 characters fit.
        Assert.True(sheet.Column(5).Width >= 2 * name.Length, $"unit column {sheet.Column(5).Width}");
        // A note of 66 characters is capped and wrapped, in a row tall enough for its lines.
        Assert.InRange(sheet.Column(8).Width, 30, 40);
        Assert.True(row.Cell(8).Style.Alignment.WrapText);
        Assert.True(row.Height >= 45, $"row height {row.Height}");
        // Times never show ###: the column holds "2026-05-02 09:00"; centred, so the time never runs into the plate beside it.
        Assert.True(sheet.Column(1).Width >= 16);
        Assert.Equal(XLAlignmentHorizontalValues.Center, row.Cell(1).Style.Alignment.Horizontal);
        // Every header fits beside its filter button.
        foreach (var header in sheet.Row(6).CellsUsed())
            Assert.True(sheet.Column(header.Address.ColumnNumber).Width >= 2 * header.GetString().Length + 2, header.GetString());
    }

    [Fact]
    public async Task After_the_deadline_the_seal_up_report_is_of_compliance_on_time_and_exempted_of_those_due()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var vehicles = new List<Guid>();
        for (var i = 0; i < 4; i++) vehicles.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 5)), unitIds = new[] { f.UnitA } }));
        await Client.Read(await va.Seal(schedule, vehicles[0]), HttpStatusCode.OK);
        var exemption = await Client.Read(await va.AskExemption(schedule, vehicles[1]), HttpStatusCode.Created);
        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.OK);
        f.Factory.Clock.Advance(TimeSpan.FromDays(6));

        using var book = await Workbook.Download(f.As(As.Auditor), $"/api/reports/sealup-compliance.xlsx?scheduleId={schedule}");
        var sheet = book.Sheet(1);
        AssertTitleBlock(sheet, "节假日公务用车封存合规率", f.Factory.Clock.GetUtcNow());
        var unitA = await admin.GetJson($"/api/units/{f.UnitA}");
        var row = Workbook.Rows(sheet).Single(r => r.Cell(1).GetString() == (string)unitA["code"]!);
        Assert.Equal("合规率", sheet.Cell(6, 10).GetString());
        Assert.Equal(2.0 / row.Cell(3).GetDouble(), row.Cell(10).GetDouble(), 5);
        Assert.Equal(["合规率", "图表", "封存明细"], book.Book.Worksheets.Select(s => s.Name).ToArray());
    }

    [Fact]
    public async Task The_seal_up_report_counts_each_unit_as_progress_before_the_deadline()
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
        // 25 days before the deadline cars still to seal are not failures: the workbook is of progress (已封存 ÷ 应封存).
        AssertTitleBlock(sheet, "节假日公务用车封存进度", fleet.Factory.Clock.GetUtcNow());
        // The schedule is named by its holiday and times, never by its id.
        Assert.DoesNotContain(schedule.ToString(), sheet.Cell("B2").GetString());
        Assert.Contains("封存时限", sheet.Cell("B2").GetString());
        var row = Workbook.Rows(sheet).Single(r => r.Cell(1).GetString() == (string)unitA["code"]!);
        var inScope = orders.Count;
        Assert.Equal(inScope, row.Cell(3).GetDouble());
        Assert.Equal(2, row.Cell(4).GetDouble());
        Assert.Equal(1, row.Cell(6).GetDouble());
        Assert.Equal(inScope - 3, row.Cell(9).GetDouble());
        Assert.Equal("封存进度", sheet.Cell(6, 10).GetString());
        Assert.Equal(2.0 / inScope, row.Cell(10).GetDouble(), 5);
        Assert.Equal("0.00%", row.Cell(10).Style.NumberFormat.Format);
        Assert.Equal(["封存进度", "图表", "封存明细"], book.Book.Worksheets.Select(s => s.Name).ToArray());
        var download = await fleet.As(As.Inspector).Get($"/api/reports/sealup-compliance.xlsx?scheduleId={schedule}");
        Assert.StartsWith("封存进度-", download.Content.Headers.ContentDisposition!.FileNameStar);
        var chartRows = Workbook.Rows(book.Sheet(2)).TakeWhile(r => !r.Cell(2).IsEmpty()).ToList();
        Assert.Contains("<c:v>" + (string)unitA["name"]! + "</c:v>", AssertBarChart(book, "图表", chartRows.Count));
        Assert.Equal(inScope, Workbook.Rows(book.Sheet(3)).Count);
        var sealedRow = Workbook.Rows(book.Sheet(3)).Single(r => r.Cell(1).GetString() == (string)orders[vehicles[0]]["plateNumber"]!);
        Assert.Equal("已封存", sealedRow.Cell(4).GetString());
        Assert.Equal("否", sealedRow.Cell(8).GetString());
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
        Assert.Equal(["汇总", "抽查记录"], book.Book.Worksheets.Select(s => s.Name).ToArray());
        var rows = Workbook.Rows(book.Sheet(2));
        Assert.Equal(2, rows.Count);
        Assert.Equal("-负一层", rows[0].Cell(6).GetString());
        Assert.False(rows[0].Cell(6).HasFormula);
        Assert.Equal("否", rows[0].Cell(3).GetString());
        Assert.Equal("未按规定停放", rows[0].Cell(7).GetString());
        Assert.Equal("是", rows[0].Cell(11).GetString());
        // The corrected check is named by its local time and finding, not by its id.
        Assert.Equal("更正 2026-05-01 09:00 的检查（未按规定停放）", rows[1].Cell(10).GetString());
        Assert.DoesNotContain(((Guid)first["id"]!).ToString(), book.SheetXml());

        // Counts per unit and finding, with a totals row.
        var summary = book.Sheet(1);
        var findings = summary.Row(6).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.Equal(["单位代码", "单位名称", "合规", "封条破损", "车辆不在位", "公车私用", "未按规定停放", "未登记车辆", "其他", "合计"], findings);
        // The corrected check counts as its correction: one check, 合规.
        var unitRow = Workbook.Rows(summary).First();
        Assert.Equal(1, unitRow.Cell(findings.IndexOf("合规") + 1).GetDouble());
        Assert.Equal(0, unitRow.Cell(findings.IndexOf("未按规定停放") + 1).GetDouble());
        Assert.Equal(1, unitRow.Cell(findings.Count).GetDouble());
        var total = Workbook.Rows(summary).Last();
        Assert.Equal("合计", total.Cell(1).GetString());
        Assert.Equal(1, total.Cell(findings.Count).GetDouble());
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

    [Fact]
    public async Task Actions_beyond_the_row_limit_refuse_the_violations_report_though_its_violations_fit()
    {
        await using var fleet = await FleetFixture.StartAsync(new() { ["Fleet:Reports:MaxRows"] = "2" });
        var inspector = fleet.As(As.Inspector);
        var violation = await Client.Read(await inspector.Post("/api/violations", new { type = "Other", unitId = fleet.UnitA, notes = "公车私用举报" }), HttpStatusCode.Created);
        foreach (var name in new[] { "张三", "李四", "王五" })
            await Client.Read(await inspector.Post($"/api/violations/{violation["id"]}/actions", new { personName = name, position = "科员", action = "Admonishment" }), HttpStatusCode.Created);
        var problem = await Client.Problem(await fleet.As(As.Admin).Get("/api/reports/violations.xlsx"), HttpStatusCode.BadRequest, "from");
        Assert.Contains("3 rows match; one report holds at most 2", problem.ToJsonString());
    }
}

/// <summary>Stored instants as the report reads their text: EF's form fast, every other form Microsoft.Data.Sqlite reads.</summary>
public class RawTimeTests
{
    [Theory]
    [InlineData("2026-03-01 08:00:00", "2026-03-01T08:00:00.0000000Z")]
    [InlineData("2026-03-01T08:00:00", "2026-03-01T08:00:00.0000000Z")]
    [InlineData("2026-03-01 08:00:00.5", "2026-03-01T08:00:00.5000000Z")]
    [InlineData("2026-03-01 08:00:00.1234567", "2026-03-01T08:00:00.1234567Z")]
    [InlineData("2026-03-01 08:00:00.5Z", "2026-03-01T08:00:00.5000000Z")]
    [InlineData("2026-03-01T08:00:00+08:00", "2026-03-01T00:00:00.0000000Z")]
    [InlineData("2026-03-01 08:00:00.0000000+00:00", "2026-03-01T08:00:00.0000000Z")]
    [InlineData("2461100.5", "2026-03-01T00:00:00.0000000Z")]
    public void Reads_each_stored_form_as_the_same_instant(string stored, string utc)
    {
        var value = Fleet.Api.Features.Reports.RawTime.Parse(System.Text.Encoding.UTF8.GetBytes(stored));
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(utc, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Text_that_is_no_time_fails_as_EF_would()
    {
        Assert.Throws<FormatException>(() => Fleet.Api.Features.Reports.RawTime.Parse("2026-03-01 08:xx:00"u8));
    }
}

/// <summary>The streaming writer's own rules, on a sheet longer than the rows it measures.</summary>
public class XlsxWriterTests
{
    [Fact]
    public void Text_after_the_measured_rows_still_wraps_against_the_width_written_and_gets_the_height_it_needs()
    {
        var stream = new MemoryStream();
        using (var writer = new Fleet.Api.Features.Reports.XlsxWriter(stream))
        {
            writer.StartSheet("表", [new Fleet.Api.Features.Reports.Column("备注", 6, 40), new Fleet.Api.Features.Reports.Column("数", 4)], freezeBelowRow: 1);
            writer.StartRow();
            writer.Headers();
            for (var i = 0; i < Fleet.Api.Features.Reports.XlsxWriter.SampleRows + 100; i++)
            {
                writer.StartRow();
                // Short notes in the measured rows; one of 19 Chinese characters far below them.
                writer.Text(i == Fleet.Api.Features.Reports.XlsxWriter.SampleRows + 50 ? "车辆停放在非指定地点且未按规定封存" : "合规");
                writer.Number((long)i);
            }
            writer.Finish();
        }
        using var book = new XLWorkbook(new MemoryStream(stream.ToArray()));
        var sheet = book.Worksheet(1);
        var width = sheet.Column(1).Width;
        Assert.True(width < 2 * 17, $"the column follows its measured rows ({width}), not the late note");
        var late = sheet.Row(Fleet.Api.Features.Reports.XlsxWriter.SampleRows + 52);
        Assert.Equal("车辆停放在非指定地点且未按规定封存", late.Cell(1).GetString());
        Assert.True(late.Cell(1).Style.Alignment.WrapText);
        Assert.True(late.Height >= 15 * Math.Ceiling(34 / (width - 1.5)), $"row height {late.Height} for a column {width} wide");
        Assert.False(sheet.Row(5).Cell(1).Style.Alignment.WrapText);
        // Every row was written once, in order.
        Assert.Equal(Enumerable.Range(0, Fleet.Api.Features.Reports.XlsxWriter.SampleRows + 100).Select(i => (double)i),
            sheet.RowsUsed().Skip(1).Select(r => r.Cell(2).GetDouble()));
        // A count column has room for a million whatever its first rows held.
        Assert.True(sheet.Column(2).Width >= "1,000,000".Length);
    }

    [Fact]
    public void Cells_after_a_gap_land_in_their_columns_in_every_reader_and_only_formula_like_text_is_quote_prefixed()
    {
        var stream = new MemoryStream();
        using (var writer = new Fleet.Api.Features.Reports.XlsxWriter(stream))
        {
            writer.StartSheet("表", new[] { "甲", "乙", "丙", "丁", "戊" }.Select(h => new Fleet.Api.Features.Reports.Column(h, 8)).ToList(), freezeBelowRow: 1);
            writer.StartRow();
            writer.Headers();
            for (var i = 0; i < 3; i++)
            {
                writer.StartRow();
                writer.Text(i == 1 ? null : "甲" + i);
                writer.Text(null);
                writer.Number((long)i);
                writer.Text(i == 2 ? "=1+1" : " 前后有空格 ");
                writer.Date(i == 0 ? null : new DateTime(2026, 10, 1, 8, 30, 0));
            }
            // Formula starts hidden behind a control character the writer drops, white space, or in full width.
            foreach (var hostile in new[] { "\u0001=HYPERLINK(\"x\")", "  +1", "＝1+1", "\t@SUM(A1)" })
            {
                writer.StartRow();
                writer.Text(hostile);
            }
            writer.Finish();
        }
        var bytes = stream.ToArray();
        using (var book = new XLWorkbook(new MemoryStream(bytes)))
        {
            var sheet = book.Worksheet(1);
            Assert.Equal("甲0", sheet.Cell(2, 1).GetString());
            Assert.True(sheet.Cell(2, 2).IsEmpty());
            Assert.Equal(0, sheet.Cell(2, 3).GetDouble());
            Assert.Equal(" 前后有空格 ", sheet.Cell(2, 4).GetString());
            Assert.True(sheet.Cell(2, 5).IsEmpty());
            Assert.True(sheet.Cell(3, 1).IsEmpty());
            Assert.Equal(1, sheet.Cell(3, 3).GetDouble());
            Assert.Equal(new DateTime(2026, 10, 1, 8, 30, 0), sheet.Cell(3, 5).GetDateTime());
            Assert.Equal("=1+1", sheet.Cell(4, 4).GetString());
            Assert.False(sheet.Cell(4, 4).HasFormula);
            Assert.True(sheet.Cell(4, 4).Style.IncludeQuotePrefix);
            Assert.False(sheet.Cell(2, 4).Style.IncludeQuotePrefix);
            Assert.Equal(XLAlignmentVerticalValues.Top, sheet.Cell(2, 1).Style.Alignment.Vertical);
            for (var r = 5; r <= 8; r++)
            {
                Assert.True(sheet.Cell(r, 1).Style.IncludeQuotePrefix, $"row {r}: {sheet.Cell(r, 1).GetString()}");
                Assert.False(sheet.Cell(r, 1).HasFormula);
            }
        }
        // A second reader (the one the tests do not otherwise use) places them the same way.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        using (var reader = ExcelDataReader.ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(bytes)))
        {
            var rows = new List<object?[]>();
            while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray());
            Assert.Equal(["甲0", null, 0.0, " 前后有空格 ", null], rows[1]);
            Assert.Equal([null, null, 1.0, " 前后有空格 ", new DateTime(2026, 10, 1, 8, 30, 0)], rows[2]);
            Assert.Equal("=1+1", rows[3][3]);
        }
        // A cell carries its reference only after a gap: the bytes per cell are the size of a million-row report.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using var xml = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var text = xml.ReadToEnd();
        Assert.Contains("<row r=\"3\"><c r=\"C3\"", text);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(text, "<c r="));
    }
}
