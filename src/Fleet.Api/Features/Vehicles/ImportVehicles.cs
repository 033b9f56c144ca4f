using System.Globalization;
using System.Security.Claims;
using ClosedXML.Excel;
using Fleet.Api.Features.Reports;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Vehicles;

public sealed record RowError(int Row, string Field, string Message);

/// <summary>
/// Registers vehicles from a workbook: every row is checked as POST /api/vehicles checks it (the same validator and
/// standards check), plates and VINs repeated in the file or already registered are row errors, and with any bad row
/// nothing is imported. All good rows go in one transaction.
/// </summary>
public static class ImportVehicles
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public const int MaxReportedErrors = 1000;
    public static readonly string[] Columns = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];

    public static void MapImportEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/import/template.xlsx", Template).AllowRoles(Role.Admin, Role.VehicleAdmin);
        group.MapPost("/import", Import).AllowRoles(Role.Admin, Role.VehicleAdmin)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes));
    }

    public static async Task<FileStreamHttpResult> Template(ReportFile report) => await report.BuildAsync("vehicle-import-template", w =>
    {
        w.StartSheet("车辆 Vehicles", Columns.Select(_ => 18.0).ToList(), freezeBelowRow: 1);
        w.StartRow();
        w.MarkHeaderRow();
        foreach (var c in Columns) w.Text(c, CellStyle.Header);
        w.StartSheet("说明 Help", [22, 80], freezeBelowRow: 0);
        foreach (var (field, help) in new[]
        {
            ("plateNumber", "鲁A12345; 新能源 鲁AD12345; 警车 鲁A1234警"),
            ("vin", "17 characters, no I/O/Q, valid check digit"),
            ("category", string.Join(", ", Enum.GetNames<VehicleCategory>())),
            ("engineDisplacement", "litres, 0 for electric"),
            ("purchasePrice", "yuan"),
            ("acquiredOn", "a date, or text yyyy-MM-dd"),
            ("source", string.Join(", ", Enum.GetNames<VehicleSource>())),
            ("unitCode", "the registering unit's code"),
        })
        {
            w.StartRow();
            w.Text(field, CellStyle.Label);
            w.Text(help);
        }
        return Task.CompletedTask;
    });

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        IFormFile? file, bool? dryRun, ClaimsPrincipal user, FleetDbContext db, IValidator<VehicleRequest> validator, VehicleRules rules,
        CancellationToken ct)
    {
        if (file is null || file.Length == 0) return Problems.Field("file", "Send one .xlsx workbook as multipart form data.");
        if (file.Length > MaxBytes) return TypedResults.Problem($"The workbook may be at most {MaxBytes} bytes.", statusCode: 413, title: "Payload too large");
        var caller = Caller.From(user);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Code, u.Id }).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        Sheet read;
        try
        {
            await using var stream = file.OpenReadStream();
            // The workbook is let go as soon as its rows are read: it is the largest thing an import holds.
            using var book = new XLWorkbook(stream.CanSeek ? stream : await CopyAsync(stream, ct));
            read = await ReadAsync(book, units, caller, validator, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Problems.Field("file", "The file is not an .xlsx workbook.");
        }
        if (read.Problem is not null) return read.Problem;
        var (rows, errors, plates, vins) = (read.Rows, read.Errors, read.Plates, read.Vins);
        errors.AddRange(await RegisteredAsync(plates, "plateNumber", c => db.Vehicles.Where(v => c.Contains(v.PlateNumber)).Select(v => v.PlateNumber), ct));
        errors.AddRange(await RegisteredAsync(vins, "vin", c => db.Vehicles.Where(v => c.Contains(v.Vin)).Select(v => v.Vin), ct));
        if (errors.Count > 0)
        {
            var problem = TypedResults.Problem(
                $"{errors.Select(e => e.Row).Distinct().Count()} row(s) have errors; nothing was imported.",
                statusCode: 400, title: "The workbook has bad rows",
                extensions: new Dictionary<string, object?>
                {
                    ["rowErrors"] = errors.OrderBy(e => e.Row).Take(MaxReportedErrors).ToList(),
                    ["errorCount"] = errors.Count,
                    ["errors"] = new Dictionary<string, string[]> { ["file"] = [$"{errors.Count} error(s) in the rows; see rowErrors."] },
                });
            return problem;
        }
        if (rows.Count == 0) return Problems.Field("file", "The sheet has no vehicle rows under the header.");
        if (dryRun == true) return TypedResults.Ok(new ImportResult(rows.Count, true));

        await rules.ImportAsync(rows.Select(r => r.Request).ToList(), ct);
        return TypedResults.Ok(new ImportResult(rows.Count, false));
    }

    public sealed record ImportResult(int Imported, bool DryRun);

    private sealed record Sheet(List<(int Row, VehicleRequest Request)> Rows, List<RowError> Errors, Dictionary<string, int> Plates,
        Dictionary<string, int> Vins, ValidationProblem? Problem = null);

    /// <summary>Reads and checks every row as POST /api/vehicles would; repeats within the file are row errors too.</summary>
    private static async Task<Sheet> ReadAsync(XLWorkbook book, Dictionary<string, Guid> units, Caller caller, IValidator<VehicleRequest> validator, CancellationToken ct)
    {
        var sheet = new Sheet([], [], [], []);
        var worksheet = book.Worksheets.FirstOrDefault();
        if (worksheet is null) return sheet with { Problem = Problems.Field("file", "The workbook has no sheet.") };
        var header = worksheet.Row(1).CellsUsed().ToDictionary(c => c.GetString().Trim(), c => c.Address.ColumnNumber, StringComparer.OrdinalIgnoreCase);
        var missing = Columns.Where(c => !header.ContainsKey(c)).ToList();
        if (missing.Count > 0) return sheet with { Problem = Problems.Field("file", $"The first row must name the columns; missing: {string.Join(", ", missing)}.") };

        var last = worksheet.LastRowUsed()?.RowNumber() ?? 1;
        for (var r = 2; r <= last; r++)
        {
            var cells = Columns.ToDictionary(c => c, c => worksheet.Cell(r, header[c]));
            if (cells.Values.All(c => c.IsEmpty())) continue;
            var rowErrors = new List<RowError>();
            var request = ReadRow(r, cells, units, rowErrors);
            if (request.UnitId is { } unitId && !caller.MaySee(unitId))
                rowErrors.Add(new(r, "unitCode", "A vehicle administrator imports vehicles of their own unit only."));
            var result = await validator.ValidateAsync(request, ct);
            foreach (var failure in result.Errors)
            {
                var field = failure.PropertyName == "unitId" ? "unitCode" : failure.PropertyName;
                if (rowErrors.All(e => e.Field != field)) rowErrors.Add(new(r, field, failure.ErrorMessage));
            }
            var plate = Plates.Normalise(request.PlateNumber);
            var vin = Vins.Normalise(request.Vin);
            if (plate.Length > 0 && !sheet.Plates.TryAdd(plate, r)) rowErrors.Add(new(r, "plateNumber", $"The plate {plate} is also in row {sheet.Plates[plate]}."));
            if (vin.Length > 0 && !sheet.Vins.TryAdd(vin, r)) rowErrors.Add(new(r, "vin", $"The VIN {vin} is also in row {sheet.Vins[vin]}."));
            sheet.Errors.AddRange(rowErrors);
            if (rowErrors.Count == 0) sheet.Rows.Add((r, request));
        }
        return sheet;
    }

    private static async Task<Stream> CopyAsync(Stream stream, CancellationToken ct)
    {
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        copy.Position = 0;
        return copy;
    }

    private static VehicleRequest ReadRow(int row, Dictionary<string, IXLCell> cells, Dictionary<string, Guid> units, List<RowError> errors)
    {
        string? Text(string c) => cells[c].IsEmpty() ? null : cells[c].GetString().Trim();
        decimal? Number(string c)
        {
            var cell = cells[c];
            if (cell.IsEmpty()) return null;
            if (cell.DataType == XLDataType.Number) return (decimal)cell.GetDouble();
            if (decimal.TryParse(cell.GetString().Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n)) return n;
            errors.Add(new(row, c, "Not a number."));
            return null;
        }
        DateOnly? Day(string c)
        {
            var cell = cells[c];
            if (cell.IsEmpty()) return null;
            if (cell.DataType == XLDataType.DateTime) return DateOnly.FromDateTime(cell.GetDateTime());
            if (cell.DataType == XLDataType.Number) return DateOnly.FromDateTime(DateTime.FromOADate(cell.GetDouble()));
            if (DateOnly.TryParseExact(cell.GetString().Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors.Add(new(row, c, "Not a date: give a date cell or text yyyy-MM-dd."));
            return null;
        }
        TEnum? Choice<TEnum>(string c) where TEnum : struct, Enum
        {
            var text = Text(c);
            if (text is null) return null;
            if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)) return value;
            errors.Add(new(row, c, $"Use one of {string.Join(", ", Enum.GetNames<TEnum>())}."));
            return null;
        }
        Guid? unit = null;
        if (Text("unitCode") is { } code)
        {
            if (units.TryGetValue(code, out var id)) unit = id;
            else errors.Add(new(row, "unitCode", $"No unit has the code {code}."));
        }
        return new VehicleRequest(Text("plateNumber"), Text("vin"), Text("make"), Text("model"), Choice<VehicleCategory>("category"),
            Number("engineDisplacement"), Number("purchasePrice"), Day("acquiredOn"), Choice<VehicleSource>("source"), unit);
    }

    private static async Task<IEnumerable<RowError>> RegisteredAsync(Dictionary<string, int> values, string field,
        Func<string[], IQueryable<string>> registered, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var chunk in values.Keys.Chunk(500)) found.AddRange(await registered(chunk).ToListAsync(ct));
        return found.Select(v => new RowError(values[v], field, $"{v} is already registered."));
    }
}
