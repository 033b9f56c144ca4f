using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fleet.Tests;

/// <summary>Passwords people actually pick are refused wherever a password is set: by the Admin, by its owner, on reset.</summary>
public partial class PasswordTests
{
    // A keyboard walk, pinyin and the product's name with a digit run, the unit's name with a date: all 12+ characters.
    private static readonly string[] Guessable = ["qwertyuiopas", "gongwu123456", "fleet1234567", "zhengfu2027!", "区审计局20270101"];

    private const string Passphrase = "Rivet-lantern-oboe-2027";

    [Fact]
    public async Task Keyboard_walks_words_with_digits_and_the_units_name_are_refused_on_create_change_and_reset()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("SJ"), name: "区审计局"));

        var before = await f.Factory.WrittenState();
        foreach (var weak in Guessable)
            await Client.Problem(await admin.Post("/api/users", new { username = FleetFixture.Code("pw"), password = weak, role = "VehicleAdmin", unitId = unit }),
                HttpStatusCode.BadRequest, "password");
        Assert.Equal(before, await f.Factory.WrittenState());

        var username = FleetFixture.Code("pw");
        var id = Make.Id(await Client.Read(await admin.Post("/api/users", new { username, password = Passphrase, role = "VehicleAdmin", unitId = unit }), HttpStatusCode.Created));
        var person = new Client(f.Factory, f.Factory.CreateClient());
        person.UseToken((string)(await Client.Read(await f.Factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = Passphrase }), HttpStatusCode.OK))["accessToken"]!);

        before = await f.Factory.WrittenState();
        foreach (var weak in Guessable)
        {
            var refused = await Client.Problem(await person.Post("/api/me/password", new { currentPassword = Passphrase, newPassword = weak }), HttpStatusCode.BadRequest, "newPassword");
            Assert.DoesNotContain(weak, refused.ToJsonString());
            await Client.Problem(await admin.Post($"/api/users/{id}/password", new { newPassword = weak }), HttpStatusCode.BadRequest, "newPassword");
        }
        Assert.Equal(before, await f.Factory.WrittenState());
        Assert.Equal(HttpStatusCode.OK, (await person.Get("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await person.Post("/api/me/password", new { currentPassword = Passphrase, newPassword = "Copper-kettle-mistral-88" })).StatusCode);
    }

    [Fact]
    public async Task The_refusal_says_what_kind_of_guessable_password_it_is()
    {
        await using var f = await FleetFixture.StartAsync();
        async Task<string> Refusal(string password) => (string)(await Client.Problem(await f.As(As.Admin).Post("/api/users",
            new { username = FleetFixture.Code("pw"), password, role = "Auditor" }), HttpStatusCode.BadRequest, "password"))["errors"]!["password"]![0]!;
        Assert.Contains("keyboard", await Refusal("qwertyuiopas"));
        Assert.Contains("name", await Refusal("fleet1234567"));
        Assert.Contains("common word", await Refusal("gongwu123456"));
    }

    [Fact]
    public async Task The_password_page_refuses_a_keyboard_walk_in_chinese()
    {
        await using var f = await FleetFixture.StartAsync();
        var username = FleetFixture.Code("pw");
        await Client.Read(await f.As(As.Admin).Post("/api/users", new { username, password = Passphrase, role = "Auditor" }), HttpStatusCode.Created);
        using var browser = f.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/login", PageForms.Form(await browser.GetStringAsync("/login"), new() { ["username"] = username, ["password"] = Passphrase }))).StatusCode);

        var page = await browser.PostAsync("/password", PageForms.Form(await browser.GetStringAsync("/password"), new() { ["currentPassword"] = Passphrase, ["newPassword"] = "qwertyuiopas" }));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("键盘上连着的一串键", html);
        Assert.DoesNotContain("keyboard run", html);
    }

}
