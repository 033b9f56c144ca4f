using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fleet.Tests;

/// <summary>
/// Writes sent twice store one record (api-v1.md v1.3, Idempotency-Key): a double tap, a resend after a lost answer, a
/// page form posted twice.
/// </summary>
public partial class IdempotencyTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private object Check(Guid vehicle, string finding = "Compliant") => new
    {
        vehicleId = vehicle,
        checkedAt = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-30),
        location = "地下停车场 B2",
        finding,
    };

    private static HttpRequestMessage Keyed(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Client.Json) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private async Task<Guid> NewVehicle() => Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));

    private async Task<JsonArray> ChecksOf(Guid vehicle) => (await fleet.As(As.Inspector).GetJson($"/api/spot-checks?vehicleId={vehicle}&pageSize=100"))["items"]!.AsArray();

    [Fact]
    public async Task Twenty_identical_spot_checks_sent_together_with_one_key_store_one_check_and_one_violation()
    {
        var registered = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA));
        var vehicle = Make.Id(registered);
        var inspector = fleet.As(As.Inspector);
        var key = Guid.NewGuid().ToString();
        var body = Check(vehicle, "PrivateUse");

        var statuses = await Together.Send(20, _ => inspector.Http.SendAsync(Keyed("/api/spot-checks", body, key)));

        // Each answer is the first's (201) or "still in progress" (409); never a second record.
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"got {(int)s}"));
        Assert.Contains(HttpStatusCode.Created, statuses);
        var check = Assert.Single(await ChecksOf(vehicle))!;
        var violations = (await inspector.GetJson($"/api/violations?plateNumber={registered["plateNumber"]}&pageSize=100"))["items"]!.AsArray();
        Assert.Equal((Guid)check["violationId"]!, (Guid)Assert.Single(violations)!["id"]!);

        // Sent again after the race (the answer was lost on the way): the first answer, word for word, and nothing new.
        var again = await inspector.Http.SendAsync(Keyed("/api/spot-checks", body, key));
        var replayed = await Client.Read(again, HttpStatusCode.Created);
        Assert.Equal((Guid)check["id"]!, (Guid)replayed["id"]!);
        Assert.Equal($"/api/spot-checks/{check["id"]}", again.Headers.Location!.OriginalString);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Single(await ChecksOf(vehicle));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_422_naming_the_key_and_writes_nothing()
    {
        var vehicle = await NewVehicle();
        var inspector = fleet.As(As.Inspector);
        var key = "check-" + Guid.NewGuid();
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle), key)), HttpStatusCode.Created);

        var problem = await Client.Problem(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle, "OffSiteParking"), key)),
            HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Equal("Idempotency.OtherRequest", (string)problem["code"]!);
        Assert.Equal("Compliant", (string)Assert.Single(await ChecksOf(vehicle))!["finding"]!);
        // The same body to another path is another request too.
        await Client.Problem(await inspector.Http.SendAsync(Keyed("/api/violations", new { vehicleId = vehicle }, key)), HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
    }

    [Fact]
    public async Task A_key_belongs_to_its_user_so_two_people_with_the_same_key_each_store_their_record()
    {
        var vehicle = await NewVehicle();
        var key = "shared-" + Guid.NewGuid();
        await Client.Read(await fleet.As(As.Admin).Http.SendAsync(Keyed("/api/vehicles", Make.Vehicle(fleet.UnitA), key)), HttpStatusCode.Created);
        await Client.Read(await fleet.As(As.Inspector).Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle), key)), HttpStatusCode.Created);
        Assert.Single(await ChecksOf(vehicle));
    }

    [Fact]
    public async Task A_refusal_is_answered_again_as_it_was_and_a_bad_key_is_refused_before_anything_is_written()
    {
        var inspector = fleet.As(As.Inspector);
        var key = Guid.NewGuid().ToString();
        var missing = new { vehicleId = Guid.NewGuid(), checkedAt = fleet.Factory.Clock.GetUtcNow().UtcDateTime, location = "x", finding = "Compliant" };
        var first = await Client.Problem(await inspector.Http.SendAsync(Keyed("/api/spot-checks", missing, key)), HttpStatusCode.BadRequest, "vehicleId");
        var second = await Client.Problem(await inspector.Http.SendAsync(Keyed("/api/spot-checks", missing, key)), HttpStatusCode.BadRequest, "vehicleId");
        Assert.Equal(first.ToJsonString(), second.ToJsonString());

        var vehicle = await NewVehicle();
        foreach (var bad in new[] { new string('k', 129), "两个字", "a b", "k1, k2" })
        {
            var response = await inspector.Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle), bad));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"key '{bad}': {(int)response.StatusCode}");
            var problem = await Client.Problem(response, HttpStatusCode.BadRequest, "Idempotency-Key");
            Assert.Equal("Idempotency.BadKey", (string)problem["code"]!);
        }
        Assert.Empty(await ChecksOf(vehicle));
        // As the draft writes it, a quoted string is the same key.
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle), "\"quoted-1\"")), HttpStatusCode.Created);
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Check(vehicle), "quoted-1")), HttpStatusCode.Created);
        Assert.Single(await ChecksOf(vehicle));
    }

    [Fact]
    public async Task A_photo_sent_twice_with_one_key_but_another_multipart_boundary_is_stored_once()
    {
        var check = await EvidenceTests.SpotCheckOfA(fleet);
        var inspector = fleet.As(As.Inspector);
        var photo = EvidenceTests.Photo(seed: 7);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            // A new MultipartFormDataContent: a new boundary, as a phone resending the photo would make.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/evidence") { Content = EvidenceTests.Upload(photo, "p.jpg", "SpotCheck", check) };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            return await inspector.Http.SendAsync(request);
        }
        var first = await Client.Read(await Send(), HttpStatusCode.Created);
        var second = await Client.Read(await Send(), HttpStatusCode.Created);
        Assert.Equal((Guid)first["id"]!, (Guid)second["id"]!);
        Assert.Single((await inspector.GetJson($"/api/evidence?subjectType=SpotCheck&subjectId={check}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Keys_are_kept_two_days_then_forgotten_and_the_same_key_writes_again()
    {
        await using var f = await FleetFixture.StartAsync();
        var vehicle = Make.Id(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        var inspector = f.As(As.Inspector);
        var key = Guid.NewGuid().ToString();
        object Body() => new { vehicleId = vehicle, checkedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), location = "大院", finding = "Compliant" };
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Body(), key)), HttpStatusCode.Created);
        f.Factory.Clock.Advance(TimeSpan.FromHours(47));
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Body(), key)), HttpStatusCode.Created);
        Assert.Single((await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["items"]!.AsArray());

        f.Factory.Clock.Advance(TimeSpan.FromHours(2));
        var pruned = 0;
        await f.Factory.Run<Fleet.Api.Infrastructure.IdempotencyPrune>(async j => pruned = await j.RunAsync(CancellationToken.None));
        Assert.True(pruned >= 1);
        await Client.Read(await inspector.Http.SendAsync(Keyed("/api/spot-checks", Body(), key)), HttpStatusCode.Created);
        Assert.Equal(2, (await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_spot_check_page_posted_twice_stores_one_check_and_shows_the_first_answer_again()
    {
        var vehicle = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA));
        var (username, password) = fleet.Account(As.Inspector);
        using var browser = await PageForms.SignedIn(fleet.Factory, username, password);

        var page = await browser.GetStringAsync("/spot-checks/new");
        var key = Field(page, "__IdempotencyKey");
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.Contains("data-once", page);
        var form = new Dictionary<string, string>
        {
            ["Input.PlateNumber"] = (string)vehicle["plateNumber"]!,
            ["Input.Finding"] = "PrivateUse",
            ["Input.Location"] = "地下停车场 B2",
            ["Input.CheckedAt"] = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddHours(7).ToString("yyyy-MM-ddTHH:mm"),
            ["__fleet_form"] = Field(page, "__fleet_form"),
            ["__IdempotencyKey"] = key,
        };
        var first = await browser.PostAsync("/spot-checks/new", new FormUrlEncodedContent(form));
        var second = await browser.PostAsync("/spot-checks/new", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Single(await ChecksOf(Make.Id(vehicle)));

        // A new rendering of the form is a new submission: a new key, a second check.
        var next = await browser.GetStringAsync("/spot-checks/new");
        Assert.NotEqual(key, Field(next, "__IdempotencyKey"));
        form["__IdempotencyKey"] = Field(next, "__IdempotencyKey");
        form["__fleet_form"] = Field(next, "__fleet_form");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/spot-checks/new", new FormUrlEncodedContent(form))).StatusCode);
        Assert.Equal(2, (await ChecksOf(Make.Id(vehicle))).Count);

        // The key of one form with other contents: a Chinese page says so, and nothing is written.
        form["Input.Location"] = "另一个地点";
        var other = await browser.PostAsync("/spot-checks/new", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("重复提交", await other.Content.ReadAsStringAsync());
        Assert.Equal(2, (await ChecksOf(Make.Id(vehicle))).Count);
    }

    private static string Field(string html, string name) => PageForms.Field(html, name);
}
