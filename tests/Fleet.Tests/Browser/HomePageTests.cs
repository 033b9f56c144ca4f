using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>What each person sees first (workspace.md), photographed for the README (FLEET_SCREENSHOTS=docs/screenshots).</summary>
[Collection(BrowserCollection.Name)]
public sealed class HomePageTests(BrowserFixture fleet)
{
    [Theory]
    [InlineData("vadmin", "编制数", 1280)]
    [InlineData("inspector", "待审批", 390)]
    [InlineData("auditor", "收回率", 1280)]
    [InlineData("admin", "后台任务", 1280)]
    public async Task Each_role_starts_on_its_own_home_page(string username, string expected, int width)
    {
        await fleet.SpringFestival();
        await using var visit = await fleet.SignIn(username, width: width, height: width < 500 ? 844 : 800);
        await Assertions.Expect(visit.Page.Locator("main")).ToContainTextAsync(expected);
        Assert.True(await visit.FitsWidth(), $"{username}'s home scrolls sideways at {width} px");
        await visit.Screenshot($"home-{username}");
    }
}
