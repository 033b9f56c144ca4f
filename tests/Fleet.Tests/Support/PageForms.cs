using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fleet.Tests.Support;

/// <summary>
/// The workspace as a browser without script sees it: a client with cookies and no automatic redirects, signed in on the
/// login page, and forms posted with the fields the page rendered (its antiforgery token, its Idempotency-Key).
/// </summary>
public static partial class PageForms
{
    /// <summary>A browser-like client of <paramref name="factory"/>: cookies kept, redirects not followed.</summary>
    public static HttpClient Browser(FleetFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A browser-like client signed in on the login page (asserts the sign-in redirected).</summary>
    public static async Task<HttpClient> SignedIn(FleetFactory factory, string username, string password)
    {
        var browser = Browser(factory);
        var response = await SignIn(browser, username, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>Posts the login page's form with these credentials; the response as the browser got it.</summary>
    public static async Task<HttpResponseMessage> SignIn(HttpClient browser, string username, string password) =>
        await browser.PostAsync("/login", Form(await browser.GetStringAsync("/login"), new() { ["username"] = username, ["password"] = password }));

    /// <summary>The fields with the page's antiforgery token (and its first form's Idempotency-Key, when it has one).</summary>
    public static FormUrlEncodedContent Form(string page, Dictionary<string, string> fields)
    {
        fields["__fleet_form"] = Token(page);
        if (!fields.ContainsKey("__IdempotencyKey") && Field(page, "__IdempotencyKey") is { Length: > 0 } key) fields["__IdempotencyKey"] = key;
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>The page's antiforgery token.</summary>
    public static string Token(string page) => Field(page, "__fleet_form");

    /// <summary>The value of the first input named <paramref name="name"/> on the page (attributes in any order), or "".</summary>
    public static string Field(string page, string name)
    {
        foreach (Match tag in InputTag().Matches(page))
            if (tag.Value.Contains($"name=\"{name}\"", StringComparison.Ordinal))
                return WebUtility.HtmlDecode(Regex.Match(tag.Value, "value=\"([^\"]*)\"").Groups[1].Value);
        return "";
    }

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();
}
