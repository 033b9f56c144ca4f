using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>
/// The pages each person uses most, checked with axe-core (WCAG 2.1 A and AA rules): labels, names, contrast,
/// structure. Serious and critical findings fail the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fleet)
{
    [Theory]
    [InlineData("vadmin", "/")]
    [InlineData("vadmin", "/vehicles")]
    [InlineData("vadmin", "/vehicles/new")]
    [InlineData("vadmin", "/vehicles/import")]
    [InlineData("vadmin", "/sealup")]
    [InlineData("inspector", "/")]
    [InlineData("inspector", "/spot-checks/new")]
    [InlineData("inspector", "/violations")]
    [InlineData("inspector", "/sealup/exemptions")]
    [InlineData("inspector", "/recoveries")]
    [InlineData("auditor", "/")]
    [InlineData("auditor", "/reports")]
    [InlineData("auditor", "/audit")]
    [InlineData("admin", "/units")]
    [InlineData("admin", "/users")]
    [InlineData("admin", "/users/new")]
    [InlineData("admin", "/sealup/schedules")]
    public async Task The_page_has_no_serious_accessibility_problem(string username, string path)
    {
        await fleet.SpringFestival();
        await using var visit = await fleet.SignIn(username);
        await visit.Page.GotoAsync(path);
        var results = await visit.Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"{path} as {username}:\n" + string.Join("\n", serious));
    }
}
