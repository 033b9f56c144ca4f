using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests;

/// <summary>What every answer carries, and answers that must not mislead: headers, closed connections, the request log.</summary>
public class HardeningTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Every_answer_says_nosniff()
    {
        foreach (var response in new[] { await fleet.As(As.Auditor).Get("/api/violations"), await fleet.As(As.Anonymous).Get("/api/violations"),
            await fleet.As(As.Auditor).Get($"/api/vehicles/{Guid.NewGuid()}"), await fleet.As(As.Anonymous).Get("/health") })
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_created_vehicle_or_unit_answers_with_its_etag_so_it_can_be_edited_at_once()
    {
        var admin = fleet.As(As.Admin);
        var created = await admin.Post("/api/vehicles", Make.Vehicle(fleet.UnitA));
        var vehicle = await Client.Read(created, HttpStatusCode.Created);
        Assert.Equal("\"0\"", created.Headers.ETag!.ToString());
        await Client.Read(await admin.Put($"/api/vehicles/{vehicle["id"]}", VehicleTests.Edit(vehicle, v => v["model"] = "迈腾"), created.Headers.ETag!.ToString()), HttpStatusCode.OK);
        var unit = await admin.Post("/api/units", new { code = FleetFixture.Code("E"), name = "单位", kind = "Department", vehicleQuota = 2 });
        Assert.Equal(HttpStatusCode.Created, unit.StatusCode);
        Assert.NotNull(unit.Headers.ETag);
    }

    [Fact]
    public async Task A_wrong_enum_value_is_a_400_that_lists_the_allowed_values()
    {
        var body = await Client.Problem(await fleet.As(As.Admin).Post("/api/users", new { username = "x" + FleetFixture.Code(""), password = "Strong-enough-2027", role = "Boss" }),
            HttpStatusCode.BadRequest, "role");
        Assert.Contains("Admin, VehicleAdmin, Inspector, Auditor", body["errors"]!["role"]![0]!.ToString());
        var query = await Client.Problem(await fleet.As(As.Auditor).Get("/api/vehicles?status=Gone"), HttpStatusCode.BadRequest, "status");
        Assert.Contains("Active, UnderRecovery, Recovered, Disposed", query["errors"]!["status"]![0]!.ToString());
    }

    [Fact]
    public async Task The_dashboard_takes_changes_only_from_its_own_pages()
    {
        var admin = fleet.As(As.Admin);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", "sealup-reconcile")]) };
        foreign.Headers.Add("Origin", "http://evil.example");
        await Client.Problem(await admin.Http.SendAsync(foreign), HttpStatusCode.Forbidden);
        using var none = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", "sealup-reconcile")]) };
        await Client.Problem(await admin.Http.SendAsync(none), HttpStatusCode.Forbidden);
        // The dashboard's own page carries its antiforgery token (Hangfire checks one once the host has antiforgery).
        var page = await (await admin.Http.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        var header = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEqual("", token);
        using var own = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", "sealup-reconcile")]) };
        own.Headers.Add("Origin", admin.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        own.Headers.Add(header, token);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await admin.Http.SendAsync(own)).StatusCode);
        // Without the token, even from its own origin, nothing changes.
        using var tokenless = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", "sealup-reconcile")]) };
        tokenless.Headers.Add("Origin", admin.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.SendAsync(tokenless)).StatusCode);
    }

    [Fact]
    public async Task A_body_refused_by_its_length_closes_the_connection_and_the_log_records_the_status_sent()
    {
        var lines = new ConcurrentQueue<string>();
        using var factory = new FleetFactory(null, new() { ["urls"] = "http://127.0.0.1:0" });
        factory.UseKestrel();
        factory.StartServer();
        var provider = factory.Services.GetRequiredService<ILoggerFactory>();
        provider.AddProvider(new Capture(lines));
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };

        using var big = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        big.Content.Headers.ContentType = new("application/json");
        var refused = await http.SendAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose);

        var bad = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "x", extra = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await Task.Delay(200);
        Assert.Contains(lines, l => l.Contains("POST /api/auth/token responded 400", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("POST /api/auth/token responded 200", StringComparison.Ordinal));
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName == "Fleet.Requests" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose() { }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
