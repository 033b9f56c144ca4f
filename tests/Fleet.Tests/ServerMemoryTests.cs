using System.Net;
using Fleet.Tests.Support;
using Xunit.Abstractions;

namespace Fleet.Tests;

/// <summary>
/// What hostile uploads cost the server, measured on a Fleet process of its own: a workbook of 190 KB holding one
/// 190-million-character text (once to each import), and sixteen 2×2 PNGs at once, each with 64 KB of text that would
/// inflate to 66 MB. Each is refused, and the server's peak resident memory stays under 400 MB.
/// </summary>
public class ServerMemoryTests(ITestOutputHelper output)
{
    private const long LimitMegabytes = 400;

    [Fact]
    public async Task Hostile_workbooks_and_photos_are_refused_and_the_server_stays_under_400_MB()
    {
        Assert.True(OperatingSystem.IsLinux(), "Peak memory is read from /proc.");
        var vehicleHeader = new[] { "plateNumber", "vin", "make", "model", "category", "engineDisplacement", "purchasePrice", "acquiredOn", "source", "unitCode" };
        var vehicleBook = Hostile.Workbook(vehicleHeader, 2, 190_000_000);
        var usageBook = Hostile.Workbook(["plateNumber", "time", "station", "litres", "amount"], 2, 190_000_000);
        var bombs = Enumerable.Range(1, 16).Select(i => Hostile.PngBomb(i)).ToArray();
        Assert.True(vehicleBook.Length < 400_000 && bombs.All(b => b.Length < 70_000));

        await using var fleet = new FleetProcess();
        await fleet.ReadyAsync();
        using var admin = await fleet.SignInAsync("admin", FleetFactory.AdminPassword);
        var unit = Make.Id(await FleetProcess.PostAsync(admin, "/api/units", new { code = "M01", name = "单位 M01", kind = "Department", vehicleQuota = 10 }));
        await FleetProcess.PostAsync(admin, "/api/users", new { username = "inspector1", password = "a-long-test-password", role = "Inspector" });
        using var inspector = await fleet.SignInAsync("inspector1", "a-long-test-password");
        var vehicle = Make.Id(await FleetProcess.PostAsync(admin, "/api/vehicles", Make.Vehicle(unit)));
        var check = Make.Id(await FleetProcess.PostAsync(inspector, "/api/spot-checks",
            new { vehicleId = vehicle, checkedAt = DateTime.UtcNow.AddMinutes(-10), location = "区政府大院停车场", finding = "Compliant" }));
        var before = fleet.PeakMegabytes();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var vehicles = await admin.PostAsync("/api/vehicles/import", UsageTests.File(vehicleBook, "vehicles.xlsx"));
        var afterVehicles = (fleet.PeakMegabytes(), watch.Elapsed.TotalSeconds);
        using var usage = await admin.PostAsync("/api/usage/import?kind=Fuel", UsageTests.File(usageBook, "fuel.xlsx"));
        var afterUsage = (fleet.PeakMegabytes(), watch.Elapsed.TotalSeconds);
        var photos = await Together.Send(bombs.Length, i => inspector.PostAsync("/api/evidence", EvidenceTests.Upload(bombs[i], $"{i}.png", "SpotCheck", check)));
        var peak = fleet.PeakMegabytes();
        output.WriteLine($"Peak resident memory (MB): {before} after start, {afterVehicles} after the vehicle workbook, {afterUsage} after the usage workbook, " +
            $"{peak} after 16 PNGs at once ({watch.Elapsed.TotalSeconds:F1} s); the photos: {string.Join(", ", photos.Select(s => (int)s))}.");

        Assert.True(peak < LimitMegabytes, $"The server peaked at {peak} MB (after start: {before} MB); at most {LimitMegabytes} MB.");
        await Client.Problem(vehicles, HttpStatusCode.BadRequest, "file");
        Assert.Contains("32,767", await vehicles.Content.ReadAsStringAsync());
        await Client.Problem(usage, HttpStatusCode.BadRequest, "file");
        Assert.Contains("32,767", await usage.Content.ReadAsStringAsync());
        Assert.All(photos, status => Assert.Equal(HttpStatusCode.UnsupportedMediaType, status));
    }
}
