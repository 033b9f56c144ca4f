using System.Globalization;
using System.Security.Claims;
using Fleet.Api.Features.Reports;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// Registers vehicles from a workbook: every row is checked as POST /api/vehicles checks it (the same validator and
/// standards check), plates and VINs repeated in the file or already registered are row errors, and with any bad row
/// nothing is imported. All good rows go in one transaction.
/// </summary>
public static class ImportVehicles
{
    public const int MaxReportedErrors = 1000;
    public static readonly string[] Columns = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];
    /// <summary>Columns a sheet may leave out (sheets made before them import as they did).</summary>
    public static readonly string[] Optional = ["fuelCardNumber"];

    public static void MapImportEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/import/template.xlsx", Template).AllowRoles(Role.Admin, Role.VehicleAdmin);
        group.MapPost("/import", Import).AllowRoles(Role.Admin, Role.VehicleAdmin)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<IOptions<ImportLimits>>().Value.MaxUploadBytes));
    }

    /// <summary>The template's headers: the Chinese names the import reads (the English field names are read too).</summary>
    public static readonly string[] TemplateHeaders = ["车牌号", "车架号（VIN）", "品牌", "型号", "类别", "排量（升，电动车填 0）", "购置价格（元）", "购置日期", "来源", "单位代码", "油卡号（选填）"];

    // Wide enough for what is typed: a VIN is 17 characters, the longest category 8 Chinese characters.
    private static readonly double[] TemplateWidths = [12, 21, 10, 10, 18, 12, 12, 12, 18, 10, 24];

    /// <summary>How many rows of the template carry the drop-down lists.</summary>
    public const int TemplateRows = 5000;

    /// <summary>
    /// The template: Chinese headers with drop-down lists for the choices and the unit codes the caller may register
    /// into, the unit codes on their own sheet, and a help sheet with an example row. The vehicle sheet itself stays
    /// empty under its header, so nothing but the user's own rows is ever imported.
    /// </summary>
    public static async Task<FileStreamHttpResult> Template(ReportFile report, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var units = await db.Units.AsNoTracking().Where(u => !caller.IsUnitBound || u.Id == caller.UnitId)
            .OrderBy(u => u.Code).Select(u => new UnitChoice(u.Code, u.Name)).ToListAsync(ct);
        return await report.BuildAsync("vehicle-import-template", w =>
        {
            VehicleSheet(w, units);
            UnitSheet(w, units);
            HelpSheet(w, units);
            return Task.CompletedTask;
        });
    }

    private sealed record UnitChoice(string Code, string Name);

    /// <summary>The sheet the rows go in: its header, and drop-down lists for the choices and the unit codes.</summary>
    private static void VehicleSheet(XlsxWriter w, List<UnitChoice> units)
    {
        w.StartSheet("车辆", TemplateHeaders.Zip(TemplateWidths, (h, width) => new Column(h, width)).ToList(), freezeBelowRow: 1);
        w.StartRow();
        w.Headers();
        string Range(int column) => $"{XlsxWriter.Reference(column, 2)}:{XlsxWriter.Reference(column, TemplateRows)}";
        w.ListValidation(Range(Array.IndexOf(Columns, "category")), Quoted(Labels.All<VehicleCategory>().Select(c => c.Label)), "请从列表中选择车辆类别");
        w.ListValidation(Range(Array.IndexOf(Columns, "source")), Quoted(Labels.All<VehicleSource>().Select(s => s.Label)), "请从列表中选择车辆来源");
        if (units.Count > 0)
            w.ListValidation(Range(Array.IndexOf(Columns, "unitCode")), $"'单位代码'!$A$2:$A${units.Count + 1}", "请填写“单位代码”工作表中列出的单位代码");
    }

    private static void UnitSheet(XlsxWriter w, List<UnitChoice> units)
    {
        w.StartSheet("单位代码", [new Column("单位代码", 10), new Column("单位名称", 14, 40)], freezeBelowRow: 1);
        w.StartRow();
        w.Headers();
        foreach (var u in units)
        {
            w.StartRow();
            w.Text(u.Code);
            w.Text(u.Name);
        }
    }

    private static void HelpSheet(XlsxWriter w, List<UnitChoice> units)
    {
        // The help sheet: how to fill in, then one row per column with an example value and what is accepted.
        w.StartSheet("填写说明", [new Column("列名", 10, 26), new Column("示例", 12, 24), new Column("填写要求", 20, 60)], freezeBelowRow: 7);
        w.StartRow();
        w.Text("车辆导入模板 填写说明", CellStyle.Title);
        foreach (var line in new[]
        {
            "1. 在“车辆”工作表第 2 行起每行填写一辆车；第 1 行的表头不要改动（也可使用英文字段名 plateNumber、vin 等）。",
            "2. 类别、来源、单位代码可从下拉列表中选择；日期写成 2026-03-15 或设为日期格式。",
            "3. 任何一行有错时整个文件都不会导入，系统会列出每个错误所在的行和列；可先选择“只检查，不导入”。",
            "4. 同一车牌号或车架号在文件中重复，或已经登记过，都算错误。下表的示例只作说明，不要填入“车辆”工作表。",
        })
        {
            w.StartRow();
            w.Text(line);
        }
        w.StartRow();
        w.StartRow();
        w.Headers();
        foreach (var (field, example, help) in new[]
        {
            ("车牌号", "鲁A12345", "鲁A12345；新能源车 鲁AD12345；警车 鲁A1234警"),
            ("车架号（VIN）", "LSVAU2180N2183294", "17 位，不含 I、O、Q，校验位正确"),
            ("品牌", "红旗", "必填"),
            ("型号", "H5", "必填"),
            ("类别", Labels.Of(VehicleCategory.General), string.Join("、", Labels.All<VehicleCategory>().Select(c => c.Label))),
            ("排量（升，电动车填 0）", "1.8", "以升为单位；电动车填 0"),
            ("购置价格（元）", "149800", "以元为单位"),
            ("购置日期", "2024-03-15", "日期，或文字 yyyy-MM-dd"),
            ("来源", Labels.Of(VehicleSource.Allocated), string.Join("、", Labels.All<VehicleSource>().Select(s => s.Label))),
            ("单位代码", units.FirstOrDefault()?.Code ?? "D01", "登记车辆的单位，见“单位代码”工作表"),
            ("油卡号（选填）", "1000113400001234567", "一车一卡，6 至 32 位数字或字母；加油记录只写卡号时按此对应车辆。请把这一列设为文本格式（数字格式只保留 15 位）"),
        })
        {
            w.StartRow();
            w.Text(field, CellStyle.Label);
            w.Text(example);
            w.Text(help);
        }
    }

    /// <summary>A list for data validation: "a,b,c" (a list written in the formula may hold at most 255 characters).</summary>
    private static string Quoted(IEnumerable<string> items) => "\"" + string.Join(",", items) + "\"";

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        IFormFile? file, bool? dryRun, HttpRequest http, ClaimsPrincipal user, FleetDbContext db, IValidator<VehicleRequest> validator, VehicleRules rules,
        IOptions<ImportLimits> limits, CancellationToken ct)
    {
        if (await Uploads.CheckOneAsync(file, http, limits.Value.MaxUploadBytes, new("Import.SendWorkbook", "Import.OneWorkbook", "Import.WorkbookTooLarge"), ct) is { } badUpload) return badUpload;
        var caller = Caller.From(user);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Code, u.Id }).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        Sheet read;
        try
        {
            await using var stream = file!.OpenReadStream();
            using var reader = new SheetReader(stream, limits.Value);
            read = await ReadAsync(reader, units, caller, validator, ct);
        }
        catch (WorkbookRefused refused)
        {
            return Problems.Field("file", refused.Text);
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or IOException or ArgumentException or NotSupportedException)
        {
            return Problems.Field("file", "Import.NotXlsx");
        }
        if (read.Problem is not null) return read.Problem;
        var (rows, errors, plates, vins) = (read.Good, read.Errors, read.Plates, read.Vins);
        errors.AddRange(await RegisteredAsync(plates, "plateNumber", c => db.Vehicles.Where(v => c.Contains(v.PlateNumber)).Select(v => v.PlateNumber), ct));
        errors.AddRange(await RegisteredAsync(vins, "vin", c => db.Vehicles.Where(v => c.Contains(v.Vin)).Select(v => v.Vin), ct));
        errors.AddRange(await RegisteredAsync(read.Cards, "fuelCardNumber", c => db.Vehicles.Where(v => c.Contains(v.FuelCardNumber!)).Select(v => v.FuelCardNumber!), ct));
        if (errors.Count > 0) return Uploads.RowErrors(errors, errors.Count, MaxReportedErrors, "workbook");
        if (rows == 0) return Problems.Field("file", "Import.NoRows");
        if (dryRun == true) return TypedResults.Ok(new ImportResult(rows, true));

        // The first pass's plates and VINs are checked: let them go before the second pass writes.
        foreach (var checkedValues in new[] { plates, vins, read.Cards })
        {
            checkedValues.Clear();
            checkedValues.TrimExcess();
        }
        // A second pass over the file writes what the first one checked: the rows are never all held at once.
        Dictionary<ViolationType, int> opened;
        await using (var again = file!.OpenReadStream())
        {
            using var reader = new SheetReader(again, limits.Value);
            opened = await rules.ImportAsync(Requests(reader, units), read.UnitIds, ct);
        }
        return TypedResults.Ok(new ImportResult(rows, false) { Opened = opened });
    }

    public sealed record ImportResult(int Imported, bool DryRun)
    {
        /// <summary>The violations the registration check opened for the imported cars, by type (said on the page).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public IReadOnlyDictionary<ViolationType, int> Opened { get; init; } = new Dictionary<ViolationType, int>();
    }

    private sealed record Sheet(List<RowError> Errors, Dictionary<string, int> Plates, Dictionary<string, int> Vins, Dictionary<string, int> Cards, HashSet<Guid> UnitIds,
        ValidationProblem? Problem = null)
    {
        public int Good { get; set; }
    }

    /// <summary>The sheet's rows under its header, each with the column cells it has; the header's problem, if any, instead.</summary>
    /// <summary>The header's problem: the columns missing, and the headers found that name no column (a typo, another template).</summary>
    public static CodedText MissingColumns(IReadOnlyList<string> missing, IEnumerable<string> unknown) =>
        unknown.Take(10).ToList() is { Count: > 0 } named
            ? new CodedText("Upload.MissingColumnsUnknown", ("columns", new FieldList(missing)), ("unknown", string.Join("、", named.Select(n => $"“{n}”"))))
            : new CodedText("Upload.MissingColumns", ("columns", new FieldList(missing)));

    private static IEnumerable<(int Row, Dictionary<string, SheetCell?>? Cells, CodedText? HeaderProblem)> Lines(SheetReader reader)
    {
        Dictionary<string, int>? header = null;
        foreach (var (r, row) in reader.Rows())
        {
            if (header is null)
            {
                header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                foreach (var (column, cell) in row)
                {
                    var name = cell.Text.Trim();
                    header[ChineseNames.GetValueOrDefault(name, name)] = column;
                }
                var missing = Columns.Where(c => !header.ContainsKey(c)).ToList();
                if (missing.Count > 0)
                {
                    yield return (r, null, MissingColumns(missing, header.Keys.Where(k => k.Length > 0 && !Columns.Concat(Optional).Contains(k, StringComparer.OrdinalIgnoreCase))));
                    yield break;
                }
                continue;
            }
            var cells = Columns.Concat(Optional).ToDictionary(c => c, c => header.TryGetValue(c, out var index) && row.TryGetValue(index, out var cell) ? cell : (SheetCell?)null);
            if (cells.Values.Any(c => c is not null)) yield return (r, cells, null);
        }
        if (header is null) yield return (0, null, new CodedText("Import.EmptySheet"));
    }

    /// <summary>The second pass: the requests of rows the first pass found good.</summary>
    private static IEnumerable<VehicleRequest> Requests(SheetReader reader, Dictionary<string, Guid> units)
    {
        foreach (var (r, cells, _) in Lines(reader))
            yield return ReadRow(r, cells!, units, []);
    }

    /// <summary>The header names a column by its field name or its Chinese name.</summary>
    public static readonly Dictionary<string, string> ChineseNames = new()
    {
        ["车牌号"] = "plateNumber",
        ["车架号"] = "vin",
        ["品牌"] = "make",
        ["型号"] = "model",
        ["类别"] = "category",
        ["排量"] = "engineDisplacement",
        ["购置价格"] = "purchasePrice",
        ["购置日期"] = "acquiredOn",
        ["来源"] = "source",
        ["单位代码"] = "unitCode",
        ["油卡号"] = "fuelCardNumber",
        ["油卡号（选填）"] = "fuelCardNumber",
        ["油卡号(选填)"] = "fuelCardNumber",
        ["加油卡号"] = "fuelCardNumber",
        ["卡号"] = "fuelCardNumber",
        // The labels of the register form, for a sheet typed after it.
        ["车架号（VIN）"] = "vin",
        ["排量（升）"] = "engineDisplacement",
        ["排量（升，电动车填 0）"] = "engineDisplacement",
        ["购置价格（元）"] = "purchasePrice",
    };

    /// <summary>Reads and checks every row as POST /api/vehicles would; repeats within the file are row errors too.</summary>
    private static async Task<Sheet> ReadAsync(SheetReader reader, Dictionary<string, Guid> units, Caller caller, IValidator<VehicleRequest> validator, CancellationToken ct)
    {
        var sheet = new Sheet([], [], [], [], []);
        foreach (var (r, cells, headerProblem) in Lines(reader))
        {
            if (headerProblem is not null) return sheet with { Problem = Problems.Field("file", headerProblem) };
            var rowErrors = new List<RowError>();
            var request = ReadRow(r, cells!, units, rowErrors);
            if (request.UnitId is { } unitId && VehicleRules.OutsideOwnUnit(caller, unitId) is { } outside)
                rowErrors.Add(new(r, "unitCode", outside.Text));
            var result = await validator.ValidateAsync(request, ct);
            foreach (var failure in result.Errors)
            {
                var field = failure.PropertyName == "unitId" ? "unitCode" : failure.PropertyName;
                if (rowErrors.All(e => e.Field != field)) rowErrors.Add(new(r, field, ValidationTexts.Of(failure)));
            }
            var plate = Plates.Normalise(request.PlateNumber);
            var vin = Vins.Normalise(request.Vin);
            if (plate.Length > 0 && !sheet.Plates.TryAdd(plate, r)) rowErrors.Add(new(r, "plateNumber", "Import.PlateTwice", ("plate", plate), ("row", sheet.Plates[plate])));
            if (vin.Length > 0 && !sheet.Vins.TryAdd(vin, r)) rowErrors.Add(new(r, "vin", "Import.VinTwice", ("vin", vin), ("row", sheet.Vins[vin])));
            var card = FuelCards.Normalise(request.FuelCardNumber);
            if (card.Length > 0 && !sheet.Cards.TryAdd(card, r)) rowErrors.Add(new(r, "fuelCardNumber", "Import.CardTwice", ("card", card), ("row", sheet.Cards[card])));
            sheet.Errors.AddRange(rowErrors);
            if (rowErrors.Count > 0) continue;
            sheet.Good++;
            sheet.UnitIds.Add(request.UnitId!.Value);
        }
        return sheet;
    }

    private static VehicleRequest ReadRow(int row, Dictionary<string, SheetCell?> cells, Dictionary<string, Guid> units, List<RowError> errors)
    {
        var read = new RowCells(row, cells, errors);
        Guid? unit = null;
        if (read.Text("unitCode") is { } code)
        {
            if (units.TryGetValue(PlainText.Halfwidth(code).Trim(), out var id)) unit = id;
            else errors.Add(new(row, "unitCode", VehicleRules.NoUnitWithCode(code).Text));
        }
        return new VehicleRequest(read.Text("plateNumber"), read.Text("vin"), read.Text("make"), read.Text("model"), read.Choice<VehicleCategory>("category"),
            read.Number("engineDisplacement"), read.Number("purchasePrice"), read.Day("acquiredOn"), read.Choice<VehicleSource>("source"), unit, read.Card());
    }

    /// <summary>One row's cells read as the request's types; each cell that does not read is a row error naming its column.</summary>
    private sealed class RowCells(int row, Dictionary<string, SheetCell?> cells, List<RowError> errors)
    {
        // A formula is never evaluated or trusted: its cached result could be anything the sheet's author chose.
        private SheetCell? Value(string c)
        {
            if (cells[c] is not { } cell) return null;
            if (cell.Kind == CellKind.Formula) { errors.Add(new(row, c, "Import.Formula")); return null; }
            if (cell.Kind is CellKind.Error or CellKind.Boolean) { errors.Add(new(row, c, "Import.NotAValue")); return null; }
            return cell;
        }

        public string? Text(string c)
        {
            if (Value(c) is not { } cell || cell.Text.Trim() is not { Length: > 0 } t) return null;
            // The rule for typed text, checked on the cell: its row error names the column, whatever the validator says of the request.
            if (PlainText.Problem(t) is { } notPlain) { errors.Add(new(row, c, notPlain)); return null; }
            return t;
        }

        public decimal? Number(string c)
        {
            if (Value(c) is not { } cell) return null;
            double n;
            if (cell.Kind is CellKind.Number or CellKind.Date) n = cell.Number;
            else if (!double.TryParse(cell.Text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
            {
                errors.Add(new(row, c, "Import.NotANumber"));
                return null;
            }
            if (!double.IsFinite(n) || Math.Abs(n) > 1e15) { errors.Add(new(row, c, "Upload.NumberRange")); return null; }
            return Math.Round((decimal)n, 6);
        }

        public DateOnly? Day(string c)
        {
            if (Value(c) is not { } cell) return null;
            if (cell.Kind is CellKind.Number or CellKind.Date)
            {
                if (cell.Number is >= 1 and < 2958466) return DateOnly.FromDateTime(DateTime.FromOADate(cell.Number));
                errors.Add(new(row, c, "Import.DateRange"));
                return null;
            }
            if (DateOnly.TryParseExact(cell.Text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors.Add(new(row, c, "Import.NotADate"));
            return null;
        }

        public TEnum? Choice<TEnum>(string c) where TEnum : struct, Enum
        {
            var text = Text(c);
            if (text is null) return null;
            // One name exactly, or its Chinese label as the pages show it (一般公务用车, 编制内配备): no numbers, no
            // comma lists ("LawEnforcement,General"), as in the API.
            if (Labels.TryParse<TEnum>(text, out var value)) return value;
            errors.Add(new(row, c, "Import.UseOneOf", ("choices", new NamesOf(typeof(TEnum)))));
            return null;
        }

        /// <summary>The fuel card: a card typed as a number has lost its leading zeros, or its digits past the fifteenth.</summary>
        public string? Card()
        {
            if (cells["fuelCardNumber"] is not { Kind: CellKind.Number or CellKind.Date }) return Text("fuelCardNumber");
            errors.Add(new(row, "fuelCardNumber", "Upload.CardDigits"));
            return null;
        }
    }

    private static async Task<IEnumerable<RowError>> RegisteredAsync(Dictionary<string, int> values, string field,
        Func<string[], IQueryable<string>> registered, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var chunk in values.Keys.Chunk(500)) found.AddRange(await registered(chunk).ToListAsync(ct));
        return found.Select(v => new RowError(values[v], field, "Import.AlreadyRegistered", ("value", v)));
    }
}
