using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Fleet.Tests;

/// <summary>Photos as evidence of seals, spot checks and recovery cases: recognised by content, kept as uploaded, never changed, read in scope.</summary>
public class EvidenceTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    /// <summary>A small JPEG as a phone takes it: EXIF time (local, no offset) and GPS position.</summary>
    public static byte[] Photo(DateTime? takenLocal = null, (double Lat, double Lon)? at = null, int seed = 0)
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24((byte)(40 + seed), 90, 160));
        var exif = new ExifProfile();
        if (takenLocal is { } t) exif.SetValue(ExifTag.DateTimeOriginal, t.ToString("yyyy:MM:dd HH:mm:ss"));
        if (at is var (lat, lon))
        {
            exif.SetValue(ExifTag.GPSLatitudeRef, lat >= 0 ? "N" : "S");
            exif.SetValue(ExifTag.GPSLatitude, Dms(Math.Abs(lat)));
            exif.SetValue(ExifTag.GPSLongitudeRef, lon >= 0 ? "E" : "W");
            exif.SetValue(ExifTag.GPSLongitude, Dms(Math.Abs(lon)));
        }
        image.Metadata.ExifProfile = exif;
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    private static Rational[] Dms(double degrees)
    {
        var d = Math.Floor(degrees);
        var m = Math.Floor((degrees - d) * 60);
        var s = (degrees - d - m / 60) * 3600;
        return [new Rational((uint)d, 1), new Rational((uint)m, 1), new Rational((uint)Math.Round(s * 1000), 1000)];
    }

    public static HttpContent Upload(byte[] bytes, string name, string subjectType, object subjectId)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent
        {
            { file, "file", name },
            { new StringContent(subjectType), "subjectType" },
            { new StringContent(subjectId.ToString()!), "subjectId" },
        };
    }

    /// <summary>A valid small PNG with a zTXt chunk of 200 KB of deflated zeros (200 MB unpacked) before its image data.</summary>
    private static byte[] Bomb() => Hostile.PngBomb(seed: 0, inflated: 200 << 20, withinCompressedCap: false);

    /// <summary>A spot check of a new vehicle of unit A (for the authorization matrix too).</summary>
    public static async Task<Guid> SpotCheckOfA(FleetFixture f)
    {
        var vehicle = await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA));
        var check = await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks",
            new { vehicleId = Make.Id(vehicle), checkedAt = f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-10), location = "区政府大院停车场", finding = "Compliant" }), HttpStatusCode.Created);
        return Make.Id(check);
    }

    /// <summary>An inspector's photo of a spot check of unit A (for the authorization matrix).</summary>
    public static async Task<Guid> PhotoOfA(FleetFixture f) =>
        Make.Id(await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/evidence", Upload(Photo(seed: Random.Shared.Next(100)), "m.jpg", "SpotCheck", await SpotCheckOfA(f))), HttpStatusCode.Created));

    [Fact]
    public async Task An_inspectors_photo_of_a_spot_check_keeps_its_bytes_exif_time_and_position_and_is_audited()
    {
        var check = await SpotCheckOfA(fleet);
        var bytes = Photo(new DateTime(2026, 10, 2, 9, 30, 0), (23.129163, 113.264435));
        var inspector = fleet.As(As.Inspector);
        var created = await Client.Read(await inspector.Http.PostAsync("/api/evidence", Upload(bytes, "IMG_0001.JPG", "SpotCheck", check)), HttpStatusCode.Created);

        Assert.Equal(("SpotCheck", check, "image/jpeg", (long)bytes.Length), ((string)created["subjectType"]!, (Guid)created["subjectId"]!, (string)created["contentType"]!, (long)created["size"]!));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string)created["sha256"]!);
        // 09:30 in Asia/Shanghai, the camera's clock without an offset.
        Assert.Equal(new DateTime(2026, 10, 2, 1, 30, 0, DateTimeKind.Utc), ((DateTime)created["takenAt"]!).ToUniversalTime());
        Assert.Equal(23.129163, (double)created["latitude"]!, 4);
        Assert.Equal(113.264435, (double)created["longitude"]!, 4);
        Assert.Equal(fleet.Account(As.Inspector).Username, (string)created["uploadedBy"]!);

        var content = await inspector.Http.GetAsync($"/api/evidence/{created["id"]}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("image/jpeg", content.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());
        var thumbnail = await fleet.As(As.Auditor).Http.GetAsync($"/api/evidence/{created["id"]}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, (await thumbnail.Content.ReadAsByteArrayAsync())[..3]);

        var listed = (await fleet.As(As.Auditor).GetJson($"/api/evidence?subjectType=SpotCheck&subjectId={check}"))["items"]!.AsArray();
        Assert.Equal((string)created["id"]!, (string)Assert.Single(listed)!["id"]!);
        var audit = (await fleet.As(As.Auditor).GetJson($"/api/audit?entity=Evidence&entityId={created["id"]}"))["items"]!.AsArray();
        Assert.Equal("Create", (string)Assert.Single(audit)!["action"]!);

        // The same photo again is refused; evidence is never changed or deleted.
        await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(bytes, "again.jpg", "SpotCheck", check)), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Http.PutAsync($"/api/evidence/{created["id"]}", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await fleet.As(As.Admin).Http.DeleteAsync($"/api/evidence/{created["id"]}")).StatusCode);
    }

    [Fact]
    public async Task The_type_comes_from_the_content_not_the_name_and_a_non_image_is_a_415_that_writes_nothing()
    {
        var check = await SpotCheckOfA(fleet);
        var inspector = fleet.As(As.Inspector);
        var before = await fleet.Factory.WrittenState();
        var refused = await Client.Problem(await inspector.Http.PostAsync("/api/evidence",
            Upload(Encoding.UTF8.GetBytes("<html>not a photo</html>"), "photo.jpg", "SpotCheck", check)), HttpStatusCode.UnsupportedMediaType);
        Assert.NotNull(refused["errors"]!["file"]);
        // Starts like a JPEG, is not one.
        await Client.Problem(await inspector.Http.PostAsync("/api/evidence",
            Upload([0xFF, 0xD8, 0xFF, 0xE0, .. Encoding.ASCII.GetBytes("garbage garbage garbage garbage")], "fake.jpg", "SpotCheck", check)), HttpStatusCode.UnsupportedMediaType);
        // A PNG whose first chunk claims 2 GB, and one whose compressed text would unpack to gigabytes: 415, at once.
        byte[] claims = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x7F, 0xFF, 0xFF, 0xF0, .. "IHDR"u8.ToArray(), .. new byte[64]];
        await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(claims, "big.png", "SpotCheck", check)), HttpStatusCode.UnsupportedMediaType);
        await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(Bomb(), "bomb.png", "SpotCheck", check)), HttpStatusCode.UnsupportedMediaType);
        // A form that cannot be read (no boundary) names the file.
        var broken = new ByteArrayContent("--x\r\n"u8.ToArray());
        broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        Assert.NotNull((await Client.Problem(await inspector.Http.PostAsync("/api/evidence", broken), HttpStatusCode.BadRequest))["errors"]!["file"]);
        Assert.Equal(before, await fleet.Factory.WrittenState());
        Assert.Empty((await inspector.GetJson($"/api/evidence?subjectId={check}"))["items"]!.AsArray());

        using var image = new Image<Rgb24>(20, 20);
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        var stored = await Client.Read(await inspector.Http.PostAsync("/api/evidence", Upload(png.ToArray(), "named-like-a.jpg", "SpotCheck", check)), HttpStatusCode.Created);
        Assert.Equal("image/png", (string)stored["contentType"]!);
        Assert.Null(stored["takenAt"]);
        Assert.Null(stored["latitude"]);

        // An iPhone's HEIC: an ISO-BMFF file of a HEIF brand.
        byte[] heic = [0, 0, 0, 24, .. "ftypheic"u8.ToArray(), 0, 0, 0, 0, .. "mif1heic"u8.ToArray()];
        var apple = await Client.Read(await inspector.Http.PostAsync("/api/evidence", Upload(heic, "IMG_0002.HEIC", "SpotCheck", check)), HttpStatusCode.Created);
        Assert.Equal("image/heic", (string)apple["contentType"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.Http.GetAsync($"/api/evidence/{apple["id"]}/thumbnail")).StatusCode);
        Assert.Equal(heic, await inspector.Http.GetByteArrayAsync($"/api/evidence/{apple["id"]}/content"));
    }

    [Fact]
    public async Task Bad_fields_name_the_field_and_the_roles_follow_the_record()
    {
        var check = await SpotCheckOfA(fleet);
        var photo = Photo(seed: 1);
        var inspector = fleet.As(As.Inspector);
        Assert.NotNull((await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(photo, "a.jpg", "Vehicle", check)), HttpStatusCode.BadRequest))["errors"]!["subjectType"]);
        Assert.NotNull((await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(photo, "a.jpg", "SpotCheck", "x")), HttpStatusCode.BadRequest))["errors"]!["subjectId"]);
        await Client.Problem(await inspector.Http.PostAsync("/api/evidence", Upload(photo, "a.jpg", "SpotCheck", Guid.NewGuid())), HttpStatusCode.NotFound);
        Assert.NotNull((await Client.Problem(await inspector.Post("/api/evidence", new { subjectType = "SpotCheck" }), HttpStatusCode.BadRequest))["errors"]!["file"]);
        // A spot check's photos are the inspectors'; an auditor reads, never uploads.
        await Client.Problem(await fleet.As(As.VehicleAdmin).Http.PostAsync("/api/evidence", Upload(photo, "a.jpg", "SpotCheck", check)), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Auditor).Http.PostAsync("/api/evidence", Upload(photo, "a.jpg", "SpotCheck", check)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_seal_carries_its_units_photos_which_another_unit_never_sees_and_at_most_the_limit_per_record()
    {
        await using var f = await FleetFixture.StartAsync(new() { ["Fleet:Evidence:MaxPerRecord"] = "2", ["Fleet:Evidence:MaxBytes"] = "200000" });
        var admin = f.As(As.Admin);
        var vehicle = Make.Id(await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)), unitIds = new[] { f.UnitA } }));
        var order = Make.Id(await Client.Read(await f.As(As.VehicleAdmin).Seal(schedule, vehicle), HttpStatusCode.OK));

        var va = f.As(As.VehicleAdmin);
        var tooLarge = await Client.Problem(await va.Http.PostAsync("/api/evidence", Upload([0xFF, 0xD8, 0xFF, .. new byte[300_000]], "big.jpg", "SealOrder", order)),
            HttpStatusCode.RequestEntityTooLarge);
        Assert.NotNull(tooLarge["errors"]!["file"]);
        var first = await Client.Read(await va.Http.PostAsync("/api/evidence", Upload(Photo(seed: 1), "1.jpg", "SealOrder", order)), HttpStatusCode.Created);
        await Client.Problem(await f.As(As.OtherVehicleAdmin).Http.PostAsync("/api/evidence", Upload(Photo(seed: 2), "2.jpg", "SealOrder", order)), HttpStatusCode.NotFound);
        await Client.Problem(await f.As(As.Inspector).Http.PostAsync("/api/evidence", Upload(Photo(seed: 2), "2.jpg", "SealOrder", order)), HttpStatusCode.Forbidden);
        await Client.Read(await admin.Http.PostAsync("/api/evidence", Upload(Photo(seed: 2), "2.jpg", "SealOrder", order)), HttpStatusCode.Created);
        var full = await Client.Problem(await va.Http.PostAsync("/api/evidence", Upload(Photo(seed: 3), "3.jpg", "SealOrder", order)), HttpStatusCode.Conflict);
        Assert.Contains("2 photos", (string)full["detail"]!);

        Assert.Equal(2, (await va.GetJson($"/api/evidence?subjectType=SealOrder&subjectId={order}"))["items"]!.AsArray().Count);
        var other = f.As(As.OtherVehicleAdmin);
        Assert.Empty((await other.GetJson($"/api/evidence?subjectId={order}"))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/evidence/{first["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/evidence/{first["id"]}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/evidence/{first["id"]}/thumbnail")).StatusCode);
    }
}
