using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.SealUp;

/// <summary>A vehicle administrator of the reminded unit, as the channels address them.</summary>
public sealed record UnitAdmin(string Username, string? Phone);

/// <summary>
/// One way a reminder reaches people: the log, a group robot's webhook, an SMS gateway. A channel names the recipients
/// of one reminder (the group once; each administrator's phone); each (channel, recipient) is sent once, and one that
/// failed is tried again on a later run. Throwing means "not delivered".
/// </summary>
public interface IReminderSender
{
    /// <summary>The channel's name in the delivery records: "log", "webhook:值班群", "sms".</summary>
    string Channel { get; }

    IEnumerable<string> Recipients(Reminder reminder, IReadOnlyList<UnitAdmin> admins);

    Task SendAsync(Reminder reminder, string recipient, IReadOnlyList<UnitAdmin> admins, CancellationToken ct);
}

/// <summary>The "Fleet:Notifications" configuration section: the channels beside the log.</summary>
public class NotificationOptions
{
    public List<WebhookOptions> Webhooks { get; set; } = [];
    public SmsOptions? Sms { get; set; }
    /// <summary>How long one request to a webhook or gateway may take.</summary>
    public int TimeoutSeconds { get; set; } = 10;
}

public enum WebhookFormat { WeCom, DingTalk }

/// <summary>A group robot: 企业微信 (WeCom) or 钉钉 (DingTalk), by its webhook address.</summary>
public class WebhookOptions
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public WebhookFormat Format { get; set; } = WebhookFormat.WeCom;
    /// <summary>DingTalk's 加签 secret, when the robot is set to check signatures.</summary>
    public string? Secret { get; set; }
}

/// <summary>
/// A generic SMS gateway: <see cref="UrlTemplate"/> (and for POST <see cref="BodyTemplate"/>) with the placeholders
/// {phone}, {text} and {signature}, filled URL-encoded in the address and JSON-escaped in the body.
/// </summary>
public class SmsOptions
{
    public string UrlTemplate { get; set; } = "";
    public string Method { get; set; } = "POST";
    public string? BodyTemplate { get; set; }
    public string Signature { get; set; } = "";
    /// <summary>An SMS carries the reminder's first characters only (long messages are split and charged by 67).</summary>
    public int MaxLength { get; set; } = 300;
}

/// <summary>The channel that is always there: the log.</summary>
public sealed class LogReminderSender(ILogger<LogReminderSender> logger) : IReminderSender
{
    public string Channel => "log";

    public IEnumerable<string> Recipients(Reminder reminder, IReadOnlyList<UnitAdmin> admins) => [Truncate(reminder.Recipients, 200)];

    public Task SendAsync(Reminder reminder, string recipient, IReadOnlyList<UnitAdmin> admins, CancellationToken ct)
    {
        logger.LogInformation("Reminder to {Recipients}: {Body}", reminder.Recipients, reminder.Body);
        return Task.CompletedTask;
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>
/// A WeCom or DingTalk group robot: the reminder as a text message, naming the unit's administrators by phone so that
/// the group shows whom it is for. Both answer 200 with <c>errcode</c>; anything but 0 is a failure (a robot over its
/// rate limit says so with 200).
/// </summary>
public sealed class WebhookReminderSender(WebhookOptions robot, IHttpClientFactory http, TimeProvider clock) : IReminderSender
{
    public string Channel => LogReminderSender.Truncate("webhook:" + robot.Name, 32);

    public IEnumerable<string> Recipients(Reminder reminder, IReadOnlyList<UnitAdmin> admins) => ["group"];

    public async Task SendAsync(Reminder reminder, string recipient, IReadOnlyList<UnitAdmin> admins, CancellationToken ct)
    {
        var phones = new JsonArray([.. admins.Where(a => !string.IsNullOrWhiteSpace(a.Phone)).Select(a => (JsonNode)JsonValue.Create(a.Phone!)!)]);
        JsonObject message = robot.Format == WebhookFormat.WeCom
            ? new() { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = reminder.Body, ["mentioned_mobile_list"] = phones } }
            : new() { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = reminder.Body }, ["at"] = new JsonObject { ["atMobiles"] = phones, ["isAtAll"] = false } };
        var url = robot.Url;
        if (robot.Format == WebhookFormat.DingTalk && !string.IsNullOrEmpty(robot.Secret))
        {
            // DingTalk's signature: HMAC-SHA256 of "timestamp\nsecret" with the secret, Base64, URL-encoded.
            var timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(robot.Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{robot.Secret}")));
            url += (url.Contains('?') ? "&" : "?") + $"timestamp={timestamp}&sign={Uri.EscapeDataString(sign)}";
        }
        using var response = await http.CreateClient(ReminderSenders.Client).PostAsJsonAsync(url, message, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{Channel} answered {(int)response.StatusCode}: {LogReminderSender.Truncate(text, 4000)}");
        int? code = null;
        try
        {
            code = JsonNode.Parse(text)?["errcode"]?.GetValue<int>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Not the robot's JSON: treated below as not delivered.
        }
        if (code != 0) throw new HttpRequestException($"{Channel} refused the message: {LogReminderSender.Truncate(text, 4000)}");
    }
}

/// <summary>An SMS to each vehicle administrator of the unit with a phone number, through the configured gateway.</summary>
public sealed class SmsReminderSender(SmsOptions sms, IHttpClientFactory http) : IReminderSender
{
    public string Channel => "sms";

    public IEnumerable<string> Recipients(Reminder reminder, IReadOnlyList<UnitAdmin> admins) =>
        admins.Select(a => a.Phone?.Trim()).Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).Distinct();

    public async Task SendAsync(Reminder reminder, string recipient, IReadOnlyList<UnitAdmin> admins, CancellationToken ct)
    {
        var body = reminder.Body.Length <= sms.MaxLength ? reminder.Body : reminder.Body[..(sms.MaxLength - 1)] + "…";
        var text = string.IsNullOrEmpty(sms.Signature) ? body : $"【{sms.Signature}】{body}";
        string Fill(string template, Func<string, string> escape) => template
            .Replace("{phone}", escape(recipient), StringComparison.Ordinal)
            .Replace("{text}", escape(text), StringComparison.Ordinal)
            .Replace("{signature}", escape(sms.Signature), StringComparison.Ordinal);
        var url = Fill(sms.UrlTemplate, Uri.EscapeDataString);
        using var request = new HttpRequestMessage(new HttpMethod(sms.Method.ToUpperInvariant()), url);
        if (sms.BodyTemplate is { Length: > 0 } template)
            request.Content = new StringContent(Fill(template, v => JsonEncodedText.Encode(v, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString()),
                Encoding.UTF8, "application/json");
        using var response = await http.CreateClient(ReminderSenders.Client).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The SMS gateway answered {(int)response.StatusCode}: {LogReminderSender.Truncate(await response.Content.ReadAsStringAsync(ct), 4000)}");
    }
}

/// <summary>Registers the log and every configured channel.</summary>
public static class ReminderSenders
{
    public const string Client = "notifications";

    public static IServiceCollection AddReminderSenders(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fleet:Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        // A robot's name is its identity in the delivery records: one that went out is not sent again under that name.
        var names = options.Webhooks.Where(w => !string.IsNullOrWhiteSpace(w.Url)).Select(w => w.Name.Trim()).ToList();
        if (names.Any(n => n.Length is 0 or > 24) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new InvalidOperationException("Fleet:Notifications:Webhooks: give each robot a Name of its own, 1 to 24 characters (it names the robot's deliveries).");
        // The client's own request log would write each gateway's address, key included; the job logs what it needs, masked.
        services.AddHttpClient(Client, c => c.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds))).RemoveAllLoggers();
        services.AddSingleton(new GatewayReply(options));
        services.AddSingleton<IReminderSender, LogReminderSender>();
        foreach (var robot in options.Webhooks.Where(w => !string.IsNullOrWhiteSpace(w.Url)))
            services.AddSingleton<IReminderSender>(sp => new WebhookReminderSender(robot, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<Fleet.Api.Infrastructure.HostClock>()));
        if (options.Sms is { UrlTemplate.Length: > 0 } sms)
            services.AddSingleton<IReminderSender>(sp => new SmsReminderSender(sms, sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }
}
