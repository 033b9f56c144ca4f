using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>
/// A WeCom/DingTalk robot and an SMS gateway on loopback, started by the test: records each request and answers as
/// told (a queue of answers per path, then 200 with errcode 0).
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication app;
    public ConcurrentQueue<(string Path, string Query, string Body)> Requests { get; } = new();
    public ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body)>> Answers { get; } = new();

    private FakeGateway(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>When set, answers (path, the full address as requested, the body) with this, after any queued answers.</summary>
    public Func<string, string, string, (int Status, string Body)>? Echo { get; set; }

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var gateway = new FakeGateway(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            gateway.Requests.Enqueue((http.Request.Path.Value!, http.Request.QueryString.Value ?? "", body));
            var (status, answer) = gateway.Answers.TryGetValue(http.Request.Path.Value!, out var queue) && queue.TryDequeue(out var next) ? next
                : gateway.Echo is { } echo ? echo(http.Request.Path.Value!, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}{http.Request.QueryString}", body)
                : (200, """{"errcode":0,"errmsg":"ok"}""");
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(answer);
        });
        await app.StartAsync();
        gateway.Url = app.Urls.First();
        return gateway;
    }

    public List<(string Path, string Query, string Body)> To(string path) => Requests.Where(r => r.Path == path).ToList();

    public void Answer(string path, params (int Status, string Body)[] answers) => Answers[path] = new(answers);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>Reminders that reach people: group robots and SMS, every attempt recorded, retried with back-off, never sent twice.</summary>
public class NotificationTests
{
    private static async Task<(FleetFixture Fleet, string[] Phones)> UnitWithCarsToSealAsync(FakeGateway gateway, Dictionary<string, string?> channels)
    {
        var f = await FleetFixture.StartAsync(channels);
        var admin = f.As(As.Admin);
        string[] phones = ["13800138001", "13900139002"];
        foreach (var phone in phones)
            await Client.Read(await admin.Post("/api/users", new { username = FleetFixture.Code("va"), password = "notify-Kq7-password", role = "VehicleAdmin", unitId = f.UnitA, phone }),
                HttpStatusCode.Created);
        await admin.RegisterVehicle(Make.Vehicle(f.UnitA));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 3)), unitIds = new[] { f.UnitA } });
        f.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddDays(-2));
        return (f, phones);
    }

    [Fact]
    public async Task A_webhook_that_fails_keeps_the_reminder_for_a_later_run_which_sends_only_what_failed_and_nothing_twice()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var (f, phones) = await UnitWithCarsToSealAsync(gateway, new()
        {
            ["Fleet:Notifications:Webhooks:0:Name"] = "监督值班群",
            ["Fleet:Notifications:Webhooks:0:Url"] = gateway.Url + "/wecom?key=test-key",
            ["Fleet:Notifications:Webhooks:0:Format"] = "WeCom",
            ["Fleet:Notifications:Sms:UrlTemplate"] = gateway.Url + "/sms?mobile={phone}&content={text}",
            ["Fleet:Notifications:Sms:Method"] = "GET",
            ["Fleet:Notifications:Sms:Signature"] = "某区纪委监委",
        });
        await using var _ = f;
        // The robot is over its rate limit: WeCom says so with 200 and an errcode.
        gateway.Answer("/wecom", (200, """{"errcode":45009,"errmsg":"api freq out of limit"}"""));
        await f.Factory.RunHolidayReminders();

        var robot = Assert.Single(gateway.To("/wecom"));
        var message = JsonNode.Parse(robot.Body)!;
        Assert.Equal("text", (string)message["msgtype"]!);
        Assert.StartsWith("【廉洁提醒】", (string)message["text"]!["content"]!);
        Assert.Equal(phones, message["text"]!["mentioned_mobile_list"]!.AsArray().Select(p => (string)p!).Order().ToArray());
        // Every vehicle administrator of the unit with a phone gets an SMS, signed.
        var sms = gateway.To("/sms");
        Assert.Equal(phones, sms.Select(r => System.Web.HttpUtility.ParseQueryString(r.Query)["mobile"]).Order().ToArray());
        Assert.All(sms, r => Assert.StartsWith("【某区纪委监委】【廉洁提醒】", System.Web.HttpUtility.ParseQueryString(r.Query)["content"]));

        var reminder = await f.Factory.Db(db => db.Reminders.SingleAsync());
        Assert.Equal((ReminderStatus.Pending, 1), (reminder.Status, reminder.Attempts));
        Assert.Contains("45009", reminder.LastError);
        Assert.Equal(f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), reminder.NextAttemptAt);
        var deliveries = await f.Factory.Db(db => db.ReminderDeliveries.OrderBy(d => d.Channel).ThenBy(d => d.Recipient).Select(d => d.Channel + " " + d.Recipient + " " + d.Status).ToListAsync());
        Assert.Equal(["log " + reminder.Recipients, "sms 13800138001 Sent", "sms 13900139002 Sent", "test outbox Sent", "webhook:监督值班群 group Failed"],
            deliveries.Select(d => d.StartsWith("log ", StringComparison.Ordinal) ? "log " + reminder.Recipients : d).ToList());

        // Before its back-off nothing is tried; after it, only the robot, once; then nothing more.
        await f.Factory.Run<Fleet.Api.Features.SealUp.HolidayReminders>(j => j.DeliverDueAsync(CancellationToken.None));
        Assert.Single(gateway.To("/wecom"));
        f.Factory.MoveTo(f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(5));
        await f.Factory.Run<Fleet.Api.Features.SealUp.HolidayReminders>(j => j.DeliverDueAsync(CancellationToken.None));
        await f.Factory.RunHolidayReminders();
        Assert.Equal(2, gateway.To("/wecom").Count);
        Assert.Equal(2, gateway.To("/sms").Count);
        Assert.Single(f.Factory.Outbox.Sent);
        reminder = await f.Factory.Db(db => db.Reminders.SingleAsync());
        Assert.Equal((ReminderStatus.Sent, 2), (reminder.Status, reminder.Attempts));
        Assert.Equal(6, await f.Factory.Db(db => db.ReminderDeliveries.CountAsync()));
    }

    [Fact]
    public async Task A_signed_dingtalk_robot_that_stays_down_is_tried_five_times_with_back_off_then_marked_failed()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var (f, phones) = await UnitWithCarsToSealAsync(gateway, new()
        {
            ["Fleet:Notifications:Webhooks:0:Name"] = "钉钉群",
            ["Fleet:Notifications:Webhooks:0:Url"] = gateway.Url + "/robot/send?access_token=t",
            ["Fleet:Notifications:Webhooks:0:Format"] = "DingTalk",
            ["Fleet:Notifications:Webhooks:0:Secret"] = "SEC-test-secret",
        });
        await using var _ = f;
        gateway.Answer("/robot/send", [.. Enumerable.Repeat((502, "bad gateway"), 10)]);
        var minutes = 0;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await f.Factory.RunHolidayReminders();
            var reminder = await f.Factory.Db(db => db.Reminders.SingleAsync());
            Assert.Equal(attempt, reminder.Attempts);
            Assert.Equal(attempt < 5 ? ReminderStatus.Pending : ReminderStatus.Failed, reminder.Status);
            minutes = 5 << (attempt - 1);
            f.Factory.MoveTo(f.Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(minutes));
        }
        await f.Factory.RunHolidayReminders();
        var calls = gateway.To("/robot/send");
        Assert.Equal(5, calls.Count);

        // DingTalk's form: "at" the unit's administrators, and the signature of its 加签 setting.
        var first = calls[0];
        Assert.Equal(phones, JsonNode.Parse(first.Body)!["at"]!["atMobiles"]!.AsArray().Select(p => (string)p!).Order().ToArray());
        var query = System.Web.HttpUtility.ParseQueryString(first.Query);
        var expected = Convert.ToBase64String(HMACSHA256.HashData("SEC-test-secret"u8.ToArray(), Encoding.UTF8.GetBytes($"{query["timestamp"]}\nSEC-test-secret")));
        Assert.Equal(expected, query["sign"]);
        Assert.Equal(5, await f.Factory.Db(db => db.ReminderDeliveries.CountAsync(d => d.Status == DeliveryStatus.Failed && d.Channel == "webhook:钉钉群")));
    }
}
