using System.Text.RegularExpressions;

namespace Fleet.Api.Features.SealUp;

/// <summary>
/// What a gateway's reply may leave in the records (a delivery's error, the reminder's last error and its audit entry)
/// and in the log: its status and the start of its text, with whatever looks like a secret masked. Gateways echo the
/// request back in their errors (the webhook address with its key or access token, DingTalk's signature); anyone who
/// reads the audit trail or the log could then post to the group as Fleet.
/// </summary>
public sealed partial class GatewayReply
{
    public const string Mask = "***";
    private const int Kept = 200;
    private readonly string[] secrets;

    public GatewayReply(NotificationOptions options)
    {
        var found = new List<string>();
        foreach (var robot in options.Webhooks)
        {
            Address(robot.Url, found);
            found.Add(robot.Secret ?? "");
        }
        if (options.Sms is { } sms)
        {
            Address(sms.UrlTemplate, found);
            // A key written into the body template ({"apikey":"…","mobile":"{phone}"}): every quoted value but the placeholders.
            foreach (Match m in QuotedValue().Matches(sms.BodyTemplate ?? "")) found.Add(m.Groups[1].Value);
        }
        // Each as written, URL-encoded and decoded: a reply may quote the address either way. Longest first, so a whole
        // address is masked before the key inside it.
        secrets = [.. found.Where(s => s.Length >= 6 && !s.Contains('{'))
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), Decode(s) }).Where(s => s.Length >= 6)
            .Distinct().OrderByDescending(s => s.Length)];
    }

    /// <summary>The reply (or an exception's message) masked, then cut to its first 200 characters.</summary>
    public string Masked(string? reply)
    {
        if (string.IsNullOrEmpty(reply)) return "";
        var text = reply.Length <= 4000 ? reply : reply[..4000];
        foreach (var secret in secrets) text = text.Replace(secret, Mask, StringComparison.OrdinalIgnoreCase);
        text = Named().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        return text.Length <= Kept ? text : text[..Kept] + "…";
    }

    /// <summary>The address whole, without its query, each query value, and each long path segment (a token in the path).</summary>
    private static void Address(string url, List<string> found)
    {
        if (string.IsNullOrWhiteSpace(url)) return;
        found.Add(url);
        var query = url.IndexOf('?');
        var path = query < 0 ? url : url[..query];
        found.Add(path);
        foreach (var segment in path.Split('/').Skip(3)) if (segment.Length >= 16) found.Add(segment);
        if (query < 0) return;
        foreach (var pair in url[(query + 1)..].Split('&'))
            if (pair.Split('=', 2) is [_, var value]) found.Add(value);
    }

    private static string Decode(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            return s;
        }
    }

    // key=…, access_token: "…", "secret":"…", sign=…: the value up to the next separator.
    [GeneratedRegex("""(?<name>\b(?:access_?token|token|api_?key|app_?key|app_?secret|key|secret|sign|signature|password|passwd|pwd)\b"?)(?<sep>\s*[=:]\s*"?)[^\s"&,;}<>']+""", RegexOptions.IgnoreCase)]
    private static partial Regex Named();

    [GeneratedRegex(":\\s*\"([^\"{}]{6,})\"")]
    private static partial Regex QuotedValue();
}
