using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Api.Features.Reports;
using Fleet.Api.Features.Vehicles;

namespace Fleet.Benchmarks;

/// <summary>
/// Importing a 100,000-row vehicle workbook into the province through the real server, against registering a sample
/// of the same rows one POST /api/vehicles at a time, in the same run.
/// </summary>
public static class ImportBenchmark
{
    public sealed record Result(int Rows, double Seconds, double PeakMb, int BaselineRows, double BaselineSeconds,
        double HostileSeconds, double HostileBeforeMb, double HostileAfterMb, int HostileBytes, double DrySeconds, double DryPeakMb);

    public static async Task<Result> RunAsync(string database, int rows, int baselineRows)
    {
        var copy = ReconcileBenchmark.Copy(database, "import");
        try
        {
            var book = Path.Combine(Path.GetTempPath(), "fleet-import-100k.xlsx");
            WriteWorkbook(book, 0, rows);
            await using var server = await Server.StartAsync(copy, 5095);

            // A hostile workbook first, on the fresh server: one cell at row 1,048,576, a couple of kilobytes.
            var hostile = Hostile();
            var hostileBefore = Measure.PeakMb(server.Pid);
            var hostileWatch = Stopwatch.StartNew();
            var refused = await server.Http.PostAsync("/api/vehicles/import?dryRun=true", Upload(new MemoryStream(hostile)));
            var hostileSeconds = hostileWatch.Elapsed.TotalSeconds;
            if ((int)refused.StatusCode != 400) throw new InvalidOperationException($"hostile workbook: {(int)refused.StatusCode}");
            var hostileAfter = Measure.PeakMb(server.Pid);

            var dryWatch = Stopwatch.StartNew();
            var dry = await server.Http.PostAsync("/api/vehicles/import?dryRun=true", Upload(File.OpenRead(book)));
            var drySeconds = dryWatch.Elapsed.TotalSeconds;
            if (!dry.IsSuccessStatusCode) throw new InvalidOperationException($"dry run: {(int)dry.StatusCode}");
            var dryPeak = Measure.PeakMb(server.Pid);

            var watch = Stopwatch.StartNew();
            var response = await server.Http.PostAsync("/api/vehicles/import", Upload(File.OpenRead(book)));
            var seconds = watch.Elapsed.TotalSeconds;
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import: {(int)response.StatusCode} {(await response.Content.ReadAsStringAsync())[..Math.Min(2000, (int)response.Content.Headers.ContentLength!)]}");
            var peak = Measure.PeakMb(server.Pid);

            var baseline = Stopwatch.StartNew();
            var units = (await server.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/units?pageSize=500"))!["items"]!.AsArray();
            for (var i = 0; i < baselineRows; i++)
            {
                var (plate, vin) = Identity(rows + i);
                var unit = units[i % units.Count]!["id"]!.ToString();
                var r = await server.Http.PostAsJsonAsync("/api/vehicles", new
                {
                    plateNumber = plate,
                    vin,
                    make = "比亚迪",
                    model = "秦PLUS",
                    category = "General",
                    engineDisplacement = 1.5m,
                    purchasePrice = 150000m,
                    acquiredOn = "2024-05-01",
                    source = "Allocated",
                    unitId = unit,
                });
                r.EnsureSuccessStatusCode();
            }
            File.Delete(book);
            return new Result(rows, seconds, peak, baselineRows, baseline.Elapsed.TotalSeconds,
                hostileSeconds, hostileBefore, hostileAfter, hostile.Length, drySeconds, dryPeak);
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    /// <summary>One real import of a workbook into a fresh copy of the database through a fresh server: time and server peak.</summary>
    public static async Task<(double Seconds, double PeakMb)> FleetOnceAsync(string database, string book)
    {
        var copy = ReconcileBenchmark.Copy(database, "import");
        try
        {
            await using var server = await Server.StartAsync(copy, 5095);
            var watch = Stopwatch.StartNew();
            var response = await server.Http.PostAsync("/api/vehicles/import", Upload(File.OpenRead(book)));
            var seconds = watch.Elapsed.TotalSeconds;
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import: {(int)response.StatusCode}");
            return (seconds, Measure.PeakMb(server.Pid));
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    /// <summary>The anchor on a fresh copy of the database.</summary>
    public static async Task<ImportAnchor.Figure> AnchorOnceAsync(string database, string book)
    {
        var copy = ReconcileBenchmark.Copy(database, "import-raw");
        try
        {
            return await ImportAnchor.RunAsync(copy, book);
        }
        finally
        {
            ReconcileBenchmark.Delete(copy);
        }
    }

    /// <summary>A workbook as the import endpoint takes it: one .xlsx file in a multipart form.</summary>
    private static MultipartFormDataContent Upload(Stream stream)
    {
        var file = new StreamContent(stream);
        file.Headers.ContentType = new MediaTypeHeaderValue(ReportFile.ContentType);
        return new MultipartFormDataContent { { file, "file", "vehicles.xlsx" } };
    }

    /// <summary>A workbook whose only cell is A1048576: what a vehicle administrator could upload to exhaust the server.</summary>
    private static byte[] Hostile()
    {
        using var book = new ClosedXML.Excel.XLWorkbook();
        book.AddWorksheet("x").Cell("A1048576").Value = "x";
        var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>Plates 粤B + five characters and VINs with valid check digits, none of them among the generated ones.</summary>
    public static (string Plate, string Vin) Identity(int n)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        var plate = "粤B";
        for (int i = 0, x = n; i < 5; i++, x /= alphabet.Length) plate += alphabet[x % alphabet.Length];
        var body = "LFMP" + n.ToString("D13", System.Globalization.CultureInfo.InvariantCulture);
        return (plate, body[..8] + Vins.CheckDigit(body) + body[9..]);
    }

    public static void WriteWorkbook(string path, int first, int count)
    {
        using var output = File.Create(path);
        using var w = new XlsxWriter(output);
        w.StartSheet("Vehicles", ImportVehicles.Columns.Select(_ => 16.0).ToList(), 1);
        w.StartRow();
        foreach (var c in ImportVehicles.Columns) w.Text(c, CellStyle.Header);
        for (var n = first; n < first + count; n++)
        {
            var (plate, vin) = Identity(n);
            w.StartRow();
            w.Text(plate);
            w.Text(vin);
            w.Text("比亚迪");
            w.Text("秦PLUS");
            w.Text(n % 25 == 0 ? "LawEnforcement" : "General");
            w.Number(n % 40 == 0 ? 2.0m : 1.5m);
            w.Number(150000m);
            w.Date(new DateOnly(2024, 5, 1).AddDays(n % 300));
            w.Text("Allocated");
            w.Text($"U{n % 10_000 + 1:D5}");
        }
        w.Finish();
    }
}
