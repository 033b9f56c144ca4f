using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>One person's browser: its page, and what it saw go wrong (script errors, requests leaving Fleet's origin).</summary>
public sealed class Visit : IAsyncDisposable
{
    private readonly BrowserFixture fixture;
    private readonly IBrowserContext context;
    public IPage Page { get; }
    public List<string> ScriptErrors { get; } = [];
    public List<string> ForeignRequests { get; } = [];

    /// <summary>Set by a test that opens a page it expects to be refused with 404.</summary>
    public bool ExpectingNotFound { get; set; }

    /// <summary>Set by a test that cuts the network (or drops answers): the browser logs each request that failed so.</summary>
    public bool ExpectingOffline { get; set; }

    private Visit(BrowserFixture fixture, IBrowserContext context, IPage page)
    {
        (this.fixture, this.context, Page) = (fixture, context, page);
        page.Console += (_, message) =>
        {
            // A page the test opens on purpose to see a 404 logs its status as a console error; nothing else may.
            if (message.Type == "error" && !(ExpectingNotFound && message.Text.Contains("status of 404", StringComparison.Ordinal))
                && !(ExpectingOffline && (message.Text.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal) || message.Text.Contains("ERR_CONNECTION_RESET", StringComparison.Ordinal))))
                ScriptErrors.Add(message.Text);
        };
        page.PageError += (_, error) => ScriptErrors.Add(error);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.BaseUrl + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                ForeignRequests.Add(request.Url);
        };
    }

    public static async Task<Visit> OpenAsync(BrowserFixture fixture, int width, int height, string? timezone = null)
    {
        var context = await fixture.Browser.NewContextAsync(new()
        {
            TimezoneId = timezone,
            BaseURL = fixture.BaseUrl,
            ViewportSize = new() { Width = width, Height = height },
            Locale = "zh-CN",
            AcceptDownloads = true,
            // Only so that the accessibility check (axe) can inject its script; the pages' own policy is tested over HTTP.
            BypassCSP = true,
        });
        context.SetDefaultTimeout(30_000);
        return new Visit(fixture, context, await context.NewPageAsync());
    }

    public async Task SignIn(string username, string password)
    {
        await Page.GotoAsync("/login");
        await Page.GetByLabel("用户名").FillAsync(username);
        await Page.GetByLabel("密码").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        try
        {
            // Signed in when the top bar offers 退出: an element, not a navigation event (which came late under CI load).
            await Page.GetByRole(AriaRole.Button, new() { Name = "退出" }).WaitForAsync();
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{username} could not sign in: {await Page.InnerTextAsync("main")}");
        }
    }

    /// <summary>Follows a link of the main navigation by its name, as a person would.</summary>
    public async Task Navigate(string section)
    {
        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "菜单" });
        if (await menu.IsVisibleAsync()) await menu.ClickAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = section, Exact = true }).ClickAsync();
    }

    /// <summary>True when the page is no wider than the screen: nothing to scroll sideways.</summary>
    public async Task<bool> FitsWidth() =>
        await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    /// <summary>Saves a screenshot into FLEET_SCREENSHOTS (docs/screenshots when refreshing the README's pictures).</summary>
    public async Task Screenshot(string name)
    {
        var folder = Environment.GetEnvironmentVariable("FLEET_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "fleet-screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }

    /// <summary>Every visit ends by checking that the browser saw no script error and asked nothing of another origin.</summary>
    public async ValueTask DisposeAsync()
    {
        await context.DisposeAsync();
        Assert.True(ScriptErrors.Count == 0, "script errors: " + string.Join("; ", ScriptErrors));
        Assert.True(ForeignRequests.Count == 0, "requests to other origins: " + string.Join("; ", ForeignRequests));
    }
}
