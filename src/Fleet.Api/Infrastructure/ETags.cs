namespace Fleet.Api.Infrastructure;

/// <summary>ETags are the record's app-managed version; If-Match must name the version the client read.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>Null when the header is absent; otherwise whether it names <paramref name="version"/> (or is "*").</summary>
    public static bool? Matches(HttpRequest request, int version)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*") return true;
            var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
            if (tag == For(version)) return true;
        }
        return false;
    }
}
