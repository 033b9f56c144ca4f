using System.Net;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>Uploads crafted to cost the server: refused while they are read, naming the file; and photos sent at once all arrive.</summary>
public class HostileUploadTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly string[] VehicleHeader = ["plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode"];
    private static readonly string[] FuelHeader = ["plateNumber", "time", "station", "litres", "amount"];

    [Theory]
    [InlineData("inlineStr")]
    [InlineData("str")]
    [InlineData("f")]
    public async Task A_cell_longer_than_excel_allows_is_refused_while_read_by_both_imports_and_writes_nothing(string form)
    {
        var admin = fleet.As(As.Admin);
        var before = await fleet.Factory.WrittenState();
        // 40,000 characters: past Excel's 32,767, below the reader's 1 MB run, so the cell's own limit speaks.
        var vehicles = await Client.Problem(await admin.Http.PostAsync("/api/vehicles/import?dryRun=true",
            UsageTests.File(Hostile.Workbook(VehicleHeader, 2, 40_000, form), "vehicles.xlsx")), HttpStatusCode.BadRequest, "file");
        Assert.Contains("32,767", (string)vehicles["errors"]!["file"]![0]!);
        Assert.Null(vehicles["rowErrors"]);
        var usage = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Fuel",
            UsageTests.File(Hostile.Workbook(FuelHeader, 2, 40_000, form), "fuel.xlsx")), HttpStatusCode.BadRequest, "file");
        Assert.Contains("32,767", (string)usage["errors"]!["file"]![0]!);
        // 190 million: stopped at the first megabyte without a tag.
        var huge = await Client.Problem(await admin.Http.PostAsync("/api/usage/import?kind=Fuel",
            UsageTests.File(Hostile.Workbook(FuelHeader, 2, 190_000_000, form), "fuel.xlsx")), HttpStatusCode.BadRequest, "file");
        Assert.Contains("32,767", (string)huge["errors"]!["file"]![0]!);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task A_png_whose_text_inflates_to_66_MB_is_a_415_naming_the_file_and_stores_nothing()
    {
        var check = await EvidenceTests.SpotCheckOfA(fleet);
        var inspector = fleet.As(As.Inspector);
        var before = await fleet.Factory.WrittenState();
        var refused = await Client.Problem(await inspector.Http.PostAsync("/api/evidence", EvidenceTests.Upload(Hostile.PngBomb(7), "bomb.png", "SpotCheck", check)),
            HttpStatusCode.UnsupportedMediaType, "file");
        Assert.Contains("png", (string)refused["errors"]!["file"]![0]!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await fleet.Factory.WrittenState());
        // A PNG with a little compressed text is a photo like any other.
        Assert.Equal("image/png", (string)(await Client.Read(await inspector.Http.PostAsync("/api/evidence",
            EvidenceTests.Upload(Hostile.PngBomb(8, inflated: 100_000), "note.png", "SpotCheck", check)), HttpStatusCode.Created))["contentType"]!);
    }

    [Fact]
    public async Task Nine_photos_sent_at_once_to_one_spot_check_all_arrive_numbered_and_a_tenth_is_a_409()
    {
        var check = await EvidenceTests.SpotCheckOfA(fleet);
        var inspector = fleet.As(As.Inspector);
        // Colours far enough apart that no two encode to the same JPEG.
        var photos = Enumerable.Range(0, 9).Select(i => EvidenceTests.Photo(seed: i * 20)).ToArray();
        var sent = await Together.Send(9, i => inspector.Http.PostAsync("/api/evidence", EvidenceTests.Upload(photos[i], $"IMG_{i}.JPG", "SpotCheck", check)));
        Assert.All(sent, status => Assert.Equal(HttpStatusCode.Created, status));
        var listed = (await inspector.GetJson($"/api/evidence?subjectType=SpotCheck&subjectId={check}&pageSize=20"))["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 9), listed.Select(p => (int)p!["number"]!).Order());
        var full = await Client.Problem(await inspector.Http.PostAsync("/api/evidence", EvidenceTests.Upload(EvidenceTests.Photo(seed: 9 * 20), "IMG_9.JPG", "SpotCheck", check)),
            HttpStatusCode.Conflict);
        Assert.Contains("9 photos", (string)full["detail"]!);
    }
}
