using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>What an imported file's text may be: a CSV that cannot be read is refused naming the row, never merged; no control or bidi characters are stored.</summary>
public class ImportedTextTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private async Task<string> PlateOfA() => (string)(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)))["plateNumber"]!;

    private static List<(int Row, string Field)> Errors(JsonNode problem) =>
        problem["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToList();

    [Fact]
    public async Task A_quote_left_open_on_one_line_of_a_thousand_is_a_row_error_naming_it_and_nothing_is_imported()
    {
        var plate = await PlateOfA();
        var csv = new StringBuilder("plateNumber,time,station,litres,amount\n");
        var start = new DateTime(2026, 9, 1, 8, 0, 0);
        for (var i = 0; i < 1000; i++)
            csv.Append($"{plate},{start.AddMinutes(i * 37):yyyy-MM-dd HH:mm},{(i == 499 ? "\"中石化 501 站" : $"\"中石化 {i + 2} 站\"")},40,300\n");
        var inspector = fleet.As(As.Inspector);
        var before = await fleet.Factory.WrittenState();
        var refused = await Client.Problem(await inspector.Http.PostAsync("/api/usage/import?kind=Fuel", UsageTests.File(Encoding.UTF8.GetBytes(csv.ToString()), "fuel.csv")),
            HttpStatusCode.BadRequest, "file");
        Assert.Equal([(501, "station")], Errors(refused));
        Assert.Contains("quote", (string)refused["rowErrors"]![0]!["message"]!);
        Assert.Equal(before, await fleet.Factory.WrittenState());
        Assert.Equal(0, await fleet.Factory.Db(db => db.UsageRecords.CountAsync(u => u.PlateNumber == plate)));
    }

    [Fact]
    public async Task Text_after_a_closing_quote_or_a_quote_open_at_the_end_of_the_file_names_its_row()
    {
        var plate = await PlateOfA();
        var csv = "plateNumber,time,station,litres,amount\r\n" +
            $"{plate},2026-09-02 08:00,\"中石化\"人民路站,40,300\r\n" +
            $"{plate},2026-09-02 09:00,\"中石化 \"\"人民路\"\" 站\",40,300\r\n" +
            $"{plate},2026-09-02 10:00,中石化,40,\"300";
        var refused = await Client.Problem(await fleet.As(As.Admin).Http.PostAsync("/api/usage/import?kind=Fuel", UsageTests.File(Encoding.UTF8.GetBytes(csv), "fuel.csv")),
            HttpStatusCode.BadRequest);
        Assert.Equal([(2, "station"), (4, "amount")], Errors(refused));
    }

    [Fact]
    public async Task Control_and_bidi_characters_in_imported_cells_are_row_errors_naming_row_and_field_never_stored()
    {
        var plate = await PlateOfA();
        var admin = fleet.As(As.Admin);
        var before = await fleet.Factory.WrittenState();
        var csv = "plateNumber,entryTime,entryStation,exitTime,exitStation,fee\n" +
            $"{plate},2026-09-03 08:00,广州北站,2026-09-03 09:00,深圳南,85\n" +
            $"{plate},2026-09-03 10:00,广州\u202E北站,2026-09-03 11:00,深圳南,85\n" +
            $"{plate},2026-09-03 12:00,广州北站,2026-09-03 13:00,深圳\u0007南,85\n";
        var toll = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Toll", UsageTests.File(Encoding.UTF8.GetBytes(csv), "etc.csv")), HttpStatusCode.BadRequest);
        Assert.Equal([(3, "entryStation"), (4, "exitStation")], Errors(toll));

        var book = RawRows(["plateNumber", "startTime", "startPlace", "endTime", "endPlace", "distanceKm"],
            [plate, "2026-09-04 08:00", "机关\u2066大院", "2026-09-04 09:00", "城东", "12"]);
        var trip = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Trip", UsageTests.File(book, "gps.xlsx")), HttpStatusCode.BadRequest);
        Assert.Equal([(2, "startPlace")], Errors(trip));

        var code = (string)(await admin.GetJson($"/api/units/{fleet.UnitA}"))["code"]!;
        var vehicles = ImportTests.Book([ImportTests.Row(code), [Make.Plate(), Make.Vin(), "比亚迪", "秦\u202EPLUS", "General", 1.5, 150000.0, new DateTime(2024, 5, 1), "Allocated", code]]);
        var vehicle = await Client.Problem(await admin.Http.PostAsync("/api/vehicles/import", UsageTests.File(vehicles, "vehicles.xlsx")), HttpStatusCode.BadRequest);
        Assert.Equal([(3, "model")], Errors(vehicle));
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    /// <summary>A workbook of a header and one row, every cell text.</summary>
    private static byte[] RawRows(string[] header, string[] row)
    {
        using var book = new ClosedXML.Excel.XLWorkbook();
        var sheet = book.AddWorksheet("记录");
        for (var c = 0; c < header.Length; c++) sheet.Cell(1, c + 1).SetValue(header[c]);
        for (var c = 0; c < row.Length; c++) sheet.Cell(2, c + 1).SetValue(row[c]);
        using var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }
}
