using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using Fleet.Tests.Support;

namespace Fleet.Tests;

public class ImportTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly string[] Header = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];

    private async Task<string> CodeOf(Guid unit) => (string)(await fleet.As(As.Admin).GetJson($"/api/units/{unit}"))["code"]!;

    /// <summary>A workbook as a district office would fill it: numbers and dates as Excel stores them, or as text.</summary>
    internal static byte[] Book(IEnumerable<object?[]> rows)
    {
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Vehicles");
        for (var c = 0; c < Header.Length; c++) sheet.Cell(1, c + 1).Value = Header[c];
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (row[c])
                {
                    case null: break;
                    case DateTime d: cell.Value = d; break;
                    case double n: cell.Value = n; break;
                    case string s: cell.SetValue(s); break;
                }
            }
            r++;
        }
        var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }

    internal static object?[] Row(string unitCode, string? plate = null, string? vin = null, object? litres = null, object? acquired = null, string source = "Allocated") =>
        [plate ?? Make.Plate(), vin ?? Make.Vin(), "比亚迪", "秦PLUS", "General", litres ?? 1.5, 150000.0, acquired ?? new DateTime(2024, 5, 1), source, unitCode];

    private static Task<HttpResponseMessage> Upload(Client who, byte[] bytes, bool? dryRun = null, string name = "vehicles.xlsx")
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "file", name);
        return who.Http.PostAsync("/api/vehicles/import" + (dryRun is null ? "" : $"?dryRun={dryRun.ToString()!.ToLowerInvariant()}"), content);
    }

    [Fact]
    public async Task The_template_has_chinese_headers_drop_downs_the_callers_unit_codes_and_a_help_sheet()
    {
        using var book = await Workbook.Download(fleet.As(As.VehicleAdmin), "/api/vehicles/import/template.xlsx");
        Assert.Equal(["车辆", "单位代码", "填写说明"], book.Book.Worksheets.Select(s => s.Name).ToArray());
        var sheet = book.Sheet(1);
        Assert.Equal(["车牌号", "车架号（VIN）", "品牌", "型号", "类别", "排量（升，电动车填 0）", "购置价格（元）", "购置日期", "来源", "单位代码", "油卡号（选填）"],
            sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToArray());
        // Nothing under the header: only the user's own rows are ever imported.
        Assert.Single(sheet.RowsUsed());
        Assert.True(sheet.Column(2).Width >= 19, "a VIN fits");

        // Drop-downs: category and source in Chinese, unit codes from the second sheet.
        var lists = sheet.DataValidations.ToDictionary(v => v.Ranges.Single().RangeAddress.FirstAddress.ColumnNumber, v => v.Value);
        Assert.Equal("\"一般公务用车,执法执勤用车,特种专业技术用车,应急保障用车\"", lists[5]);
        Assert.Contains("借用企业车辆", lists[9]);
        Assert.Equal("'单位代码'!$A$2:$A$2", lists[10]);
        Assert.All(sheet.DataValidations, v => Assert.Equal(2, v.Ranges.Single().RangeAddress.FirstAddress.RowNumber));

        // A VehicleAdmin's template lists their own unit only; an Admin's every unit.
        var units = book.Sheet(2);
        Assert.Equal([await CodeOf(fleet.UnitA)], units.RowsUsed().Skip(1).Select(r => r.Cell(1).GetString()).ToArray());
        using (var admins = await Workbook.Download(fleet.As(As.Admin), "/api/vehicles/import/template.xlsx"))
            Assert.Contains(await CodeOf(fleet.UnitB), admins.Sheet(2).RowsUsed().Select(r => r.Cell(1).GetString()));

        // The help sheet: an example of every column, with what it accepts.
        var help = book.Sheet(3);
        Assert.Contains(help.RowsUsed(), r => r.Cell(1).GetString() == "车架号（VIN）" && r.Cell(2).GetString() == "LSVAU2180N2183294");
        foreach (var each in book.Book.Worksheets)
        {
            Assert.Equal(XLPageOrientation.Landscape, each.PageSetup.PageOrientation);
            Assert.Equal(1, each.PageSetup.PagesWide);
        }
        await Client.Problem(await fleet.As(As.Auditor).Get("/api/vehicles/import/template.xlsx"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_template_filled_in_as_it_comes_imports()
    {
        var code = await CodeOf(fleet.UnitA);
        using var template = await Workbook.Download(fleet.As(As.VehicleAdmin), "/api/vehicles/import/template.xlsx");
        var sheet = template.Sheet(1);
        var plate = Make.Plate();
        object[] row = [plate, Make.Vin(), "红旗", "H5", "执法执勤用车", 1.8, 149800.0, new DateTime(2024, 3, 15), "编制内配备", code];
        for (var c = 0; c < row.Length; c++)
        {
            switch (row[c])
            {
                case string text: sheet.Cell(2, c + 1).SetValue(text); break;
                case double n: sheet.Cell(2, c + 1).Value = n; break;
                case DateTime d: sheet.Cell(2, c + 1).Value = d; break;
            }
        }
        var filled = new MemoryStream();
        template.Book.SaveAs(filled);

        var result = await Client.Read(await Upload(fleet.As(As.VehicleAdmin), filled.ToArray()), HttpStatusCode.OK);
        Assert.Equal(1, (int)result["imported"]!);
        var vehicle = (await fleet.As(As.Admin).GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray().Single()!;
        Assert.Equal("LawEnforcement", (string)vehicle["category"]!);
    }

    [Fact]
    public async Task A_fuel_card_column_sets_each_cars_card_and_a_card_twice_or_already_held_is_a_row_error()
    {
        var code = await CodeOf(fleet.UnitA);
        var held = "77" + Random.Shared.NextInt64(10_000_000_000_000, 99_999_999_999_999);
        await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["fuelCardNumber"] = held));
        var card = "88" + Random.Shared.NextInt64(10_000_000_000_000, 99_999_999_999_999);
        byte[] WithCards(params (object?[] Row, object? Card)[] rows)
        {
            using var book = new XLWorkbook();
            var sheet = book.AddWorksheet("车辆");
            string[] header = [.. Header, "油卡号"];
            for (var c = 0; c < header.Length; c++) sheet.Cell(1, c + 1).Value = header[c];
            for (var r = 0; r < rows.Length; r++)
            {
                for (var c = 0; c < rows[r].Row.Length; c++)
                    switch (rows[r].Row[c])
                    {
                        case DateTime d: sheet.Cell(r + 2, c + 1).Value = d; break;
                        case double n: sheet.Cell(r + 2, c + 1).Value = n; break;
                        case string s: sheet.Cell(r + 2, c + 1).SetValue(s); break;
                    }
                if (rows[r].Card is string text) sheet.Cell(r + 2, header.Length).SetValue(text);
                else if (rows[r].Card is double number) sheet.Cell(r + 2, header.Length).Value = number;
            }
            var stream = new MemoryStream();
            book.SaveAs(stream);
            return stream.ToArray();
        }

        // Row 3 repeats row 2's card, row 4 names a card another car holds, row 6 types a card as a number (its leading
        // zeros, or digits past the fifteenth, are gone).
        var bad = await Client.Problem(await Upload(fleet.As(As.VehicleAdmin),
            WithCards((Row(code), card), (Row(code), card), (Row(code), held), (Row(code), null), (Row(code), 1000113400001234.0))), HttpStatusCode.BadRequest);
        Assert.Equal([(3, "fuelCardNumber"), (4, "fuelCardNumber"), (6, "fuelCardNumber")], bad["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToList());

        var plate = Make.Plate();
        var spaced = string.Join(" ", card.Chunk(4).Select(c => new string(c)));
        Assert.Equal(2, (int)(await Client.Read(await Upload(fleet.As(As.VehicleAdmin), WithCards((Row(code, plate), spaced), (Row(code), null))), HttpStatusCode.OK))["imported"]!);
        var vehicle = (await fleet.As(As.Admin).GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray().Single()!;
        Assert.Equal(card, (string)vehicle["fuelCardNumber"]!);
    }

    [Fact]
    public async Task Choices_may_be_written_as_their_chinese_labels()
    {
        var code = await CodeOf(fleet.UnitA);
        var row = Row(code, source: "借用企业车辆");
        row[4] = "执法执勤用车";
        var result = await Client.Read(await Upload(fleet.As(As.Admin), Book([row])), HttpStatusCode.OK);
        Assert.Equal(1, (int)result["imported"]!);
        var vehicle = (await fleet.As(As.Admin).GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString((string)row[0]!)}"))["items"]!.AsArray().Single()!;
        Assert.Equal("LawEnforcement", (string)vehicle["category"]!);
        Assert.Equal("BorrowedFromEnterprise", (string)vehicle["source"]!);
    }

    [Fact]
    public async Task A_good_workbook_is_imported_through_the_same_checks_as_registration()
    {
        var code = await CodeOf(fleet.UnitA);
        var plates = new[] { Make.Plate(), Make.Plate(), Make.Plate() };
        var bytes = Book([
            Row(code, plates[0]),
            Row(code, plates[1].ToLowerInvariant().Insert(3, " "), litres: "2.5", acquired: "2023-02-03"),
            Row(code, plates[2], acquired: 45000.0, source: "BorrowedFromEnterprise"),
        ]);
        var result = await Client.Read(await Upload(fleet.As(As.Admin), bytes), HttpStatusCode.OK);
        Assert.Equal(3, (int)result["imported"]!);

        var admin = fleet.As(As.Admin);
        var second = (await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plates[1])}"))["items"]![0]!;
        Assert.Equal(2.5m, (decimal)second["engineDisplacement"]!);
        Assert.Equal("2023-02-03", (string)second["acquiredOn"]!);
        Assert.True((bool)second["overStandard"]!);
        var third = (await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plates[2])}"))["items"]![0]!;
        Assert.Equal(DateOnly.FromDateTime(DateTime.FromOADate(45000)).ToString("yyyy-MM-dd"), (string)third["acquiredOn"]!);
        var violations = (await admin.GetJson($"/api/violations?unitId={fleet.UnitA}&pageSize=500"))["items"]!.AsArray();
        Assert.Contains(violations, v => (string)v!["type"]! == "OverStandard" && (string)v["plateNumber"]! == plates[1]);
        Assert.Contains(violations, v => (string)v!["type"]! == "IllegalSource" && (string)v["plateNumber"]! == plates[2]);
    }

    [Fact]
    public async Task An_imported_vehicle_is_stored_read_and_audited_exactly_as_a_registered_one()
    {
        var admin = fleet.As(As.Admin);
        var code = await CodeOf(fleet.UnitA);
        // The same fields both ways, with a decimal and a source that opens a violation.
        var registered = Make.Id(await admin.RegisterVehicle(new
        {
            plateNumber = Make.Plate(),
            vin = Make.Vin(),
            make = "比亚迪",
            model = "秦PLUS",
            category = "General",
            engineDisplacement = 1.25m,
            purchasePrice = 150000.5m,
            acquiredOn = "2024-05-01",
            source = "BorrowedFromEnterprise",
            unitId = fleet.UnitA,
        }));
        var plate = Make.Plate();
        var row = Row(code, plate, litres: 1.25, source: "BorrowedFromEnterprise");
        row[6] = 150000.5;
        await Client.Read(await Upload(admin, Book([row])), HttpStatusCode.OK);
        var imported = (string)(await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plate)}"))["items"]![0]!["id"]!;

        string[] own = ["id", "plateNumber", "vin", "registeredAt"];
        JsonObject Without(JsonNode node)
        {
            var copy = node.DeepClone().AsObject();
            foreach (var key in own) copy.Remove(key);
            return copy;
        }
        var a = await admin.GetJson($"/api/vehicles/{registered}");
        var b = await admin.GetJson($"/api/vehicles/{imported}");
        Assert.Equal(Without(a).ToJsonString(), Without(b).ToJsonString());
        Assert.Equal(a.AsObject().Select(p => p.Key), b.AsObject().Select(p => p.Key));

        // One Create entry each, by the same actor, with the same fields and values but the vehicle's own.
        var auditor = fleet.As(As.Auditor);
        var entryA = Assert.Single((await auditor.GetJson($"/api/audit?entity=Vehicle&entityId={registered}"))["items"]!.AsArray())!;
        var entryB = Assert.Single((await auditor.GetJson($"/api/audit?entity=Vehicle&entityId={imported}"))["items"]!.AsArray())!;
        Assert.Equal(("Create", (string)entryA["actor"]!), ((string)entryB["action"]!, (string)entryB["actor"]!));
        Assert.Equal(imported, (string)entryB["after"]!["id"]!);
        Assert.Equal(Without(entryA["after"]!).ToJsonString(), Without(entryB["after"]!).ToJsonString());
        Assert.Equal(entryA["after"]!.AsObject().Select(p => p.Key), entryB["after"]!.AsObject().Select(p => p.Key));
        // Instants as the interceptor writes them: UTC, ISO 8601.
        Assert.EndsWith("Z", entryA["after"]!["registeredAt"]!.ToJsonString().Trim('"'));
        Assert.EndsWith("Z", entryB["after"]!["registeredAt"]!.ToJsonString().Trim('"'));

        // The violation it opened is stored and audited as registration's is.
        var violation = Assert.Single((await admin.GetJson($"/api/violations?unitId={fleet.UnitA}&pageSize=500"))["items"]!.AsArray(),
            v => (string)v!["plateNumber"]! == plate)!;
        Assert.Equal("IllegalSource", (string)violation["type"]!);
        var violationEntry = Assert.Single((await auditor.GetJson($"/api/audit?entity=Violation&entityId={violation["id"]}"))["items"]!.AsArray())!;
        Assert.Equal("Create", (string)violationEntry["action"]!);
        Assert.Equal($"Registration:IllegalSource:{imported}", (string)violationEntry["after"]!["dedupKey"]!);
        var registeredViolation = Assert.Single((await admin.GetJson($"/api/violations?unitId={fleet.UnitA}&pageSize=500"))["items"]!.AsArray(),
            v => (Guid?)v!["vehicleId"] == registered && (string)v["type"]! == "IllegalSource")!;
        var registeredEntry = Assert.Single((await auditor.GetJson($"/api/audit?entity=Violation&entityId={registeredViolation["id"]}"))["items"]!.AsArray())!;
        JsonObject OwnOut(JsonNode after)
        {
            var copy = after.DeepClone().AsObject();
            foreach (var key in new[] { "id", "vehicleId", "plateNumber", "sourceId", "dedupKey", "detectedAt" }) copy.Remove(key);
            return copy;
        }
        Assert.Equal(OwnOut(registeredEntry["after"]!).ToJsonString(), OwnOut(violationEntry["after"]!).ToJsonString());
        Assert.Equal(registeredEntry["after"]!.AsObject().Select(p => p.Key), violationEntry["after"]!.AsObject().Select(p => p.Key));
        Assert.EndsWith("Z", violationEntry["after"]!["detectedAt"]!.ToJsonString().Trim('"'));

        // And it is edited as any other: its ETag is the version it was stored with.
        var get = await admin.Get($"/api/vehicles/{imported}");
        await Client.Read(await admin.Put($"/api/vehicles/{imported}", VehicleTests.Edit(await Client.Read(get, HttpStatusCode.OK), v => v["model"] = "汉"),
            get.Headers.ETag!.ToString()), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Imported_vehicles_count_against_the_quota_as_registrations_one_after_another_would()
    {
        var admin = fleet.As(As.Admin);
        var unit = await admin.CreateUnit(FleetFixture.Code("IQ"), quota: 2);
        await admin.RegisterVehicle(Make.Vehicle(Make.Id(unit)));
        var plates = new[] { Make.Plate(), Make.Plate(), Make.Plate() };
        await Client.Read(await Upload(admin, Book(plates.Select(p => Row((string)unit["code"]!, p)))), HttpStatusCode.OK);
        var overQuota = (await admin.GetJson($"/api/violations?unitId={Make.Id(unit)}&type=OverQuota"))["items"]!.AsArray()
            .Select(v => (string)v!["plateNumber"]!).Order().ToArray();
        Assert.Equal(plates[1..].Order().ToArray(), overQuota);
        Assert.Equal(4, (int)(await admin.GetJson($"/api/units/{Make.Id(unit)}"))["activeVehicles"]!);
    }

    [Fact]
    public async Task Rows_past_the_first_thousand_count_the_thousand_before_them_against_the_quota()
    {
        // The rows go in by the thousand (on PostgreSQL as one batch each): each thousand is checked against what the
        // ones before it stored, as registrations one after another would be.
        var admin = fleet.As(As.Admin);
        var unit = await admin.CreateUnit(FleetFixture.Code("IK"), quota: 1000);
        var plates = Enumerable.Range(0, 1002).Select(_ => Make.Plate()).ToArray();
        var result = await Client.Read(await Upload(admin, Book(plates.Select(p => Row((string)unit["code"]!, p)))), HttpStatusCode.OK);
        Assert.Equal(1002, (int)result["imported"]!);
        var overQuota = (await admin.GetJson($"/api/violations?unitId={Make.Id(unit)}&type=OverQuota"))["items"]!.AsArray()
            .Select(v => (string)v!["plateNumber"]!).Order().ToArray();
        Assert.Equal(plates[1000..].Order().ToArray(), overQuota);
        Assert.Equal(1002, (int)(await admin.GetJson($"/api/units/{Make.Id(unit)}"))["activeVehicles"]!);
    }

    [Fact]
    public async Task A_dry_run_checks_and_counts_but_writes_nothing()
    {
        var code = await CodeOf(fleet.UnitA);
        var before = await fleet.Factory.WrittenState();
        var result = await Client.Read(await Upload(fleet.As(As.Admin), Book([Row(code), Row(code)]), dryRun: true), HttpStatusCode.OK);
        Assert.Equal(2, (int)result["imported"]!);
        Assert.True((bool)result["dryRun"]!);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task With_any_bad_row_nothing_is_imported_and_each_error_names_its_row_and_field()
    {
        var code = await CodeOf(fleet.UnitA);
        var registered = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitB));
        var vin = Make.Vin();
        var bytes = Book([
            Row(code),                                              // row 2: good
            Row(code, plate: "ABC123"),                            // row 3: not a plate
            Row(code, vin: vin),                                    // row 4
            Row(code, vin: vin),                                    // row 5: VIN repeats row 4
            Row(code, plate: (string)registered["plateNumber"]!),   // row 6: plate already registered
            Row("NO-SUCH-UNIT"),                                    // row 7
            Row(code, litres: "lots"),                              // row 8
            Row(code, acquired: "01/02/2024"),                      // row 9
        ]);
        var before = await fleet.Factory.WrittenState();
        var problem = await Client.Problem(await Upload(fleet.As(As.Admin), bytes), HttpStatusCode.BadRequest);
        var errors = problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToList();
        Assert.Contains((3, "plateNumber"), errors);
        Assert.Contains((5, "vin"), errors);
        Assert.Contains((6, "plateNumber"), errors);
        Assert.Contains((7, "unitCode"), errors);
        Assert.Contains((8, "engineDisplacement"), errors);
        Assert.Contains((9, "acquiredOn"), errors);
        Assert.DoesNotContain(errors, e => e.Item1 == 2 || e.Item1 == 4);
        Assert.All(problem["rowErrors"]!.AsArray(), e => Assert.False(string.IsNullOrEmpty((string)e!["message"]!)));
        // Each row error has its refusal's code beside its message; the problem's code is the bad rows'.
        var codes = problem["rowErrors"]!.AsArray().ToDictionary(e => ((int)e!["row"]!, (string)e["field"]!), e => (string)e!["code"]!);
        Assert.Equal("Vehicles.PlateFormat", codes[(3, "plateNumber")]);
        Assert.Equal("Import.VinTwice", codes[(5, "vin")]);
        Assert.Equal("Import.AlreadyRegistered", codes[(6, "plateNumber")]);
        Assert.Equal("Vehicles.NoUnitWithCode", codes[(7, "unitCode")]);
        Assert.Equal("Import.NotANumber", codes[(8, "engineDisplacement")]);
        Assert.Equal("Upload.BadRows", (string)problem["code"]!);
        Assert.Equal("Upload.BadRows", (string)problem["codes"]!["file"]![0]!);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task A_cell_takes_one_name_or_its_label_and_plain_text_only()
    {
        var va = fleet.As(As.VehicleAdmin);
        var code = await CodeOf(fleet.UnitA);
        var before = (int)(await va.GetJson($"/api/vehicles?unitId={fleet.UnitA}"))["total"]!;
        object?[] With(int column, string value) { var row = Row(code); row[column] = value; return row; }
        var problem = await Client.Problem(await Upload(va, Book([
            With(4, "LawEnforcement, SpecialPurpose"), // adds up to Emergency, exempt from sealing
            With(4, "1"),
            With(8, "Allocated,Seconded"),
            With(3, "秦PLUS\u202e"),
            With(2, "比亚\n迪"), // Alt+Enter in a cell
            With(4, "执法执勤用车"),
            Row(code),
        ])), HttpStatusCode.BadRequest);
        Assert.Equal([(2, "category"), (3, "category"), (4, "source"), (5, "model"), (6, "make")],
            problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToArray());
        Assert.Equal(before, (int)(await va.GetJson($"/api/vehicles?unitId={fleet.UnitA}"))["total"]!);
    }

    [Fact]
    public async Task A_vehicle_admin_imports_only_their_own_units_vehicles()
    {
        var va = fleet.As(As.VehicleAdmin);
        var problem = await Client.Problem(await Upload(va, Book([Row(await CodeOf(fleet.UnitA)), Row(await CodeOf(fleet.UnitB))])), HttpStatusCode.BadRequest);
        Assert.Equal([(3, "unitCode")], problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToArray());
        Assert.Equal(1, (int)(await Client.Read(await Upload(va, Book([Row(await CodeOf(fleet.UnitA))])), HttpStatusCode.OK))["imported"]!);
        await Client.Problem(await Upload(fleet.As(As.Inspector), Book([Row(await CodeOf(fleet.UnitA))])), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_vehicle_admins_row_of_another_unit_is_refused_as_registering_that_car_is()
    {
        var va = fleet.As(As.VehicleAdmin);
        var registered = await Client.Problem(await va.Post("/api/vehicles", Make.Vehicle(fleet.UnitB)), HttpStatusCode.Forbidden);
        var imported = await Client.Problem(await Upload(va, Book([Row(await CodeOf(fleet.UnitB))])), HttpStatusCode.BadRequest);

        var error = imported["rowErrors"]!.AsArray().Single(e => (string)e!["field"]! == "unitCode")!;
        Assert.Equal((string)registered["detail"]!, (string)error["message"]!);
        Assert.Equal((string)registered["code"]!, (string)error["code"]!);
    }

    [Fact]
    public async Task A_file_that_is_not_a_workbook_or_too_big_is_refused_without_a_500()
    {
        var admin = fleet.As(As.Admin);
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await Upload(admin, "plateNumber,vin\n粤B12345,x"u8.ToArray(), name: "vehicles.csv"), HttpStatusCode.BadRequest, "file");
        await Client.Problem(await Upload(admin, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), HttpStatusCode.BadRequest, "file");
        await Client.Problem(await Upload(admin, []), HttpStatusCode.BadRequest, "file");
        await Client.Problem(await admin.Http.PostAsync("/api/vehicles/import", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType);
        using (var wrongColumns = new XLWorkbook())
        {
            wrongColumns.AddWorksheet("x").Cell(1, 1).Value = "plate";
            var stream = new MemoryStream();
            wrongColumns.SaveAs(stream);
            await Client.Problem(await Upload(admin, stream.ToArray()), HttpStatusCode.BadRequest, "file");
        }
        await Client.Problem(await Upload(admin, new byte[21 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    /// <summary>A minimal .xlsx written by hand, as some tools write them: no styles part, inline strings, optional dimension.</summary>
    private static byte[] RawBook(IEnumerable<(int Row, object?[] Cells)> rows, string? dimension = null)
    {
        static string Col(int i) => ((char)('A' + i)).ToString();
        var sheet = new System.Text.StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
        if (dimension is not null) sheet.Append($"<dimension ref=\"{dimension}\"/>");
        sheet.Append("<sheetData>");
        foreach (var (r, cells) in rows)
        {
            sheet.Append($"<row r=\"{r}\">");
            for (var i = 0; i < cells.Length; i++)
            {
                switch (cells[i])
                {
                    case null: break;
                    case double n: sheet.Append($"<c r=\"{Col(i)}{r}\"><v>{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c>"); break;
                    case var v: sheet.Append($"<c r=\"{Col(i)}{r}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(v.ToString())}</t></is></c>"); break;
                }
            }
            sheet.Append("</row>");
        }
        sheet.Append("</sheetData></worksheet>");
        var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
            Add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>");
            Add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"车辆\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            Add("xl/worksheets/sheet1.xml", sheet.ToString());
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task A_tiny_workbook_that_claims_a_million_rows_is_refused_before_its_rows_are_read()
    {
        var admin = fleet.As(As.Admin);
        var before = await fleet.Factory.WrittenState();
        using (var book = new XLWorkbook())
        {
            book.AddWorksheet("x").Cell("A1048576").Value = "x";
            var stream = new MemoryStream();
            book.SaveAs(stream);
            Assert.True(stream.Length < 10_000);
            var refused = await Client.Problem(await Upload(admin, stream.ToArray(), dryRun: true), HttpStatusCode.BadRequest, "file");
            Assert.Contains("200,000", refused.ToJsonString());
        }
        // The same without a declared dimension: refused at the row's number, not after reading a million rows.
        await Client.Problem(await Upload(admin, RawBook([(1, Header), (1_048_576, ["x"])]), dryRun: true), HttpStatusCode.BadRequest, "file");
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Formulas_decimal_commas_comma_lists_and_huge_numbers_are_row_errors_not_values()
    {
        var admin = fleet.As(As.Admin);
        var code = await CodeOf(fleet.UnitA);
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Vehicles");
        for (var c = 0; c < Header.Length; c++) sheet.Cell(1, c + 1).Value = Header[c];
        for (var r = 2; r <= 5; r++)
        {
            var row = Row(code);
            for (var c = 0; c < row.Length; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (row[c]) { case DateTime d: cell.Value = d; break; case double n: cell.Value = n; break; case string t: cell.SetValue(t); break; }
            }
        }
        sheet.Cell(2, 1).FormulaA1 = "\"鲁A\"&\"12345\"";
        sheet.Cell(3, 6).SetValue("1,5");
        sheet.Cell(4, 5).SetValue("LawEnforcement,General");
        sheet.Cell(5, 7).Value = 1e308;
        var stream = new MemoryStream();
        book.SaveAs(stream);
        var before = await fleet.Factory.WrittenState();
        var problem = await Client.Problem(await Upload(admin, stream.ToArray()), HttpStatusCode.BadRequest);
        var errors = problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!, (string)e["message"]!)).ToList();
        Assert.Contains(errors, e => e is (2, "plateNumber", var m) && m.Contains("formula", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e is (3, "engineDisplacement", var m) && m.Contains("decimal point"));
        Assert.Contains(errors, e => e is (4, "category", _));
        Assert.Contains(errors, e => e is (5, "purchasePrice", var m) && m.Contains("range"));
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task A_workbook_without_styles_with_chinese_headers_is_read_and_two_files_are_refused()
    {
        var admin = fleet.As(As.Admin);
        var code = await CodeOf(fleet.UnitA);
        string[] chinese = ["车牌号", "车架号", "品牌", "型号", "类别", "排量", "购置价格", "购置日期", "来源", "单位代码"];
        var plate = Make.Plate();
        var bytes = RawBook([(1, chinese), (2, [plate, Make.Vin(), "比亚迪", "秦PLUS", "General", 1.5, 150000.0, "2024-05-01", "Allocated", code])]);
        Assert.Equal(1, (int)(await Client.Read(await Upload(admin, bytes), HttpStatusCode.OK))["imported"]!);
        var vehicle = (await admin.GetJson($"/api/vehicles?plateNumber={Uri.EscapeDataString(plate)}"))["items"]![0]!;
        Assert.Equal(1.5m, (decimal)vehicle["engineDisplacement"]!);
        Assert.Equal(150000m, (decimal)vehicle["purchasePrice"]!);

        var before = await fleet.Factory.WrittenState();
        var content = new MultipartFormDataContent();
        foreach (var name in new[] { "a.xlsx", "b.xlsx" })
        {
            var file = new ByteArrayContent(RawBook([(1, Header), (2, Row(code).Select(v => v is DateTime d ? d.ToString("yyyy-MM-dd") : v).ToArray())]));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            content.Add(file, "file", name);
        }
        await Client.Problem(await admin.Http.PostAsync("/api/vehicles/import", content), HttpStatusCode.BadRequest, "file");
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task The_import_limits_are_configuration()
    {
        await using var f = await FleetFixture.StartAsync(new() { ["Fleet:Import:MaxUploadBytes"] = "100000", ["Fleet:Import:MaxRows"] = "3" });
        var admin = f.As(As.Admin);
        await Client.Problem(await Upload(admin, new byte[150_000]), HttpStatusCode.RequestEntityTooLarge);
        var code = (string)(await admin.GetJson($"/api/units/{f.UnitA}"))["code"]!;
        var rows = Enumerable.Range(2, 4).Select(r => (r, Row(code).Select(v => v is DateTime d ? d.ToString("yyyy-MM-dd") : v).ToArray()));
        var refused = await Client.Problem(await Upload(admin, RawBook([(1, Header), .. rows]), dryRun: true), HttpStatusCode.BadRequest, "file");
        Assert.Contains("at most 3", refused.ToJsonString());
    }
}
