using System.Net;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fleet.Tests;

/// <summary>
/// A list that the API and the workspace both show is one read: for the same filter, the same caller sees the same
/// rows in the same order on the page as from the endpoint, and nothing outside their unit on either.
/// </summary>
public sealed partial class OneReadTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task A_unit_bound_caller_sees_the_same_violations_on_the_page_as_from_the_api()
    {
        var inspector = fleet.As(As.Inspector);
        // Plates that share a stem: four of unit A, two of unit B.
        var stem = Make.Plate()[..6];
        var plates = Enumerable.Range(0, 6).Select(i => stem + (char)('A' + i)).ToList();
        for (var i = 0; i < plates.Count; i++)
            await Client.Read(await inspector.Post("/api/violations",
                new { type = "Other", plateNumber = plates[i], unitId = i < 4 ? fleet.UnitA : fleet.UnitB, notes = "one read" }), HttpStatusCode.Created);

        var api = await fleet.As(As.VehicleAdmin).GetJson($"/api/violations?plateNumber={Uri.EscapeDataString(stem)}");
        var fromApi = api["items"]!.AsArray().Select(v => (string)v!["plateNumber"]!).ToList();
        using var browser = await SignedIn(As.VehicleAdmin);
        var html = await browser.GetStringAsync($"/violations?plate={Uri.EscapeDataString(stem)}");
        var fromPage = Regex.Matches(html, Regex.Escape(stem) + "[A-Z]").Select(m => m.Value).ToList();

        Assert.Equal(plates.Take(4), fromApi.Order(StringComparer.Ordinal)); // unit A's only
        Assert.Equal(fromApi, fromPage); // and in the same order
        Assert.Equal(4, (int)api["total"]!);
        Assert.Contains("共 4 条", html);
    }

    private Task<HttpClient> SignedIn(As who) => PageForms.SignedIn(fleet.Factory, fleet.Account(who).Username, fleet.Account(who).Password);
}
