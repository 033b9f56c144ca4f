using Microsoft.Playwright;

namespace Fleet.Tests.Browser;

/// <summary>A rule's refusal on a page reads in Chinese, found by its code, with its values in place.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RefusalPageTests(BrowserFixture fleet)
{
    [Fact]
    public async Task Registering_a_plate_already_registered_shows_the_refusals_Chinese_text()
    {
        var (_, plate) = (await fleet.CarsOfD01())[0];
        await using var visit = await fleet.SignIn("vadmin");
        var page = visit.Page;
        await visit.Navigate("车辆");
        await page.GetByRole(AriaRole.Link, new() { Name = "登记车辆" }).ClickAsync();
        await page.GetByLabel("车牌号").FillAsync(plate);
        await page.GetByLabel("车架号（VIN）").FillAsync(Support.Make.Vin());
        await page.GetByLabel("品牌").FillAsync("比亚迪");
        await page.GetByLabel("型号").FillAsync("秦PLUS");
        await page.GetByLabel("类别").SelectOptionAsync(new SelectOptionValue { Label = "一般公务用车" });
        await page.GetByLabel("排量（升，电动车填 0）").FillAsync("1.5");
        await page.GetByLabel("购置价格（元）").FillAsync("150000");
        await page.GetByLabel("购置日期").FillAsync("2026-05-01");
        await page.GetByLabel("来源").SelectOptionAsync(new SelectOptionValue { Label = "编制内配备" });
        await page.GetByRole(AriaRole.Button, new() { Name = "登记" }).ClickAsync();

        // Vehicles.PlateTaken, in Chinese, the plate carried over.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"车牌号 {plate} 已登记，不能重复登记。");
    }
}
