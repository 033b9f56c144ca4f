using System.Collections.Concurrent;
using System.Net;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests;

/// <summary>A gateway's key never reaches the audit trail, the delivery records or the log, even when its reply quotes it.</summary>
public class GatewaySecretTests
{
    private const string WeComKey = "wk-7f3a9c1e5b2d4680aa", DingTalkToken = "dt-93b1c7e2a4f6d8e0bb", DingTalkSecret = "SEC9d8c7b6a5f4e3d2c1b", SmsKey = "smsk-5e4d3c2b1a09f8cc";

    [Fact]
    public async Task A_gateway_that_echoes_its_address_and_key_leaves_only_its_status_and_a_masked_reply()
    {
        await using var gateway = await FakeGateway.StartAsync();
        // As some gateways' error pages do: the address as requested (key, token, signature and all) and the body.
        gateway.Echo = (path, url, body) => path == "/wecom"
            ? (200, $$"""{"errcode":93000,"errmsg":"invalid webhook url {{url}}, hint: key={{WeComKey}}"}""")
            : (502, $"Bad Gateway: upstream refused {url} (access_token: {DingTalkToken}; secret={DingTalkSecret}) {Uri.EscapeDataString(url)}");
        var f = await FleetFixture.StartAsync(new()
        {
            ["Fleet:Notifications:Webhooks:0:Name"] = "值班群",
            ["Fleet:Notifications:Webhooks:0:Url"] = gateway.Url + "/wecom?key=" + WeComKey,
            ["Fleet:Notifications:Webhooks:1:Name"] = "钉钉群",
            ["Fleet:Notifications:Webhooks:1:Url"] = gateway.Url + "/robot/send?access_token=" + DingTalkToken,
            ["Fleet:Notifications:Webhooks:1:Format"] = "DingTalk",
            ["Fleet:Notifications:Webhooks:1:Secret"] = DingTalkSecret,
            ["Fleet:Notifications:Sms:UrlTemplate"] = gateway.Url + "/sms?apikey=" + SmsKey + "&mobile={phone}&content={text}",
            ["Fleet:Notifications:Sms:Method"] = "GET",
        });
        await using var _ = f;
        var lines = new ConcurrentQueue<string>();
        f.Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(new Capture(lines));
        var admin = f.As(As.Admin);
        await Client.Read(await admin.Post("/api/users", new { username = FleetFixture.Code("va"), password = "notify-Kq7-password", role = "VehicleAdmin", unitId = f.UnitA, phone = "13800138001" }),
            HttpStatusCode.Created);
        await admin.RegisterVehicle(Make.Vehicle(f.UnitA));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 3)), unitIds = new[] { f.UnitA } });
        f.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddDays(-2));

        await f.Factory.RunHolidayReminders();

        Assert.Equal(3, gateway.Requests.Count);
        var signs = gateway.Requests.Select(r => System.Web.HttpUtility.ParseQueryString(r.Query)["sign"]).Where(s => s is not null).ToList();
        var reminder = await f.Factory.Db(db => db.Reminders.SingleAsync());
        var errors = await f.Factory.Db(db => db.ReminderDeliveries.Where(d => d.Error != null).Select(d => d.Error!).ToListAsync());
        var audit = (await f.As(As.Auditor).GetJson($"/api/audit?entity=Reminder&entityId={reminder.Id}&pageSize=100")).ToJsonString();
        Assert.Equal(3, errors.Count);
        foreach (var secret in new[] { WeComKey, DingTalkToken, DingTalkSecret, SmsKey }.Concat(signs.Select(s => s!)).Concat(signs.Select(s => Uri.EscapeDataString(s!))))
        {
            Assert.DoesNotContain(errors, e => e.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(secret, reminder.LastError!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, audit, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        // What was wrong stays readable: the channel, the gateway's status or code, and that something was masked.
        Assert.Contains(errors, e => e.Contains("93000") && e.Contains("***"));
        Assert.Contains(errors, e => e.Contains("502") && e.Contains("***"));
        Assert.Contains("502", reminder.LastError);
        Assert.Contains("SendFailed", audit);
        Assert.Contains(lines, l => l.Contains("could not be sent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"code":19001,"msg":"bad hook https://open.feishu.cn/open-apis/bot/v2/hook/0f3c9e2a-7b1d-4c5e-9a8b-112233445566"}""", "0f3c9e2a-7b1d-4c5e-9a8b-112233445566")]
    [InlineData("""{"error":"invalid apikey","request":{"apikey":"ak-4411-zz-9s8d7f6g","mobile":"13800138001"}}""", "ak-4411-zz-9s8d7f6g")]
    [InlineData("""<html>403: https%3A%2F%2Fsms.example.cn%2Fsend%3Ftoken%3Dtk-55aa66bb77cc</html>""", "tk-55aa66bb77cc")]
    [InlineData("""{"errmsg":"sign not match, access_token=at-unconfigured-778899, timestamp=1"}""", "at-unconfigured-778899")]
    public void A_reply_quoting_a_configured_or_named_secret_in_any_form_is_masked(string reply, string secret)
    {
        var masked = new Fleet.Api.Features.SealUp.GatewayReply(new Fleet.Api.Features.SealUp.NotificationOptions
        {
            Webhooks = [new() { Name = "飞书", Url = "https://open.feishu.cn/open-apis/bot/v2/hook/0f3c9e2a-7b1d-4c5e-9a8b-112233445566" }],
            Sms = new() { UrlTemplate = "https://sms.example.cn/send?token=tk-55aa66bb77cc&to={phone}", BodyTemplate = """{"apikey":"ak-4411-zz-9s8d7f6g","mobile":"{phone}"}""" },
        }).Masked(reply);
        Assert.DoesNotContain(secret, masked, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("***", masked);
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose() { }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + " " + exception);
    }
}
