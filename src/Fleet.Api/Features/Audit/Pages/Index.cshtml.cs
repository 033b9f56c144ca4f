using System.Text.Json;
using Fleet.Api.Features.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Audit.Pages;

/// <summary>The audit trail, newest first, read-only as GET /api/audit; also filtered by action here.</summary>
[Authorize(Roles = "Admin,Auditor")]
public sealed class IndexModel(FleetDbContext db, AuditQueries queries, LocalTime local) : WorkspacePage
{
    public const int PageSize = Lists.Size;

    public sealed record Change(string Field, string? Before, string? After);

    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public List<string> Usernames { get; private set; } = [];

    /// <summary>How the entries' records and values read: names, plates and Chinese labels instead of ids and codes.</summary>
    public AuditReadables? Readable { get; private set; }

    public async Task OnGetAsync()
    {
        Lists.DatesOnly(ModelState);
        var ct = HttpContext.RequestAborted;
        Usernames = await db.Users.AsNoTracking().OrderBy(u => u.Username).Select(u => u.Username).Take(500).ToListAsync(ct);
        var args = (Lists.Args(Request) with { From = Day(From), To = Day(To) }).BindDays(local, lastIfBeyond: false);
        PageNumber = args.Page.Number;
        if (args.Dates is not null)
        {
            ModelState.AddModelError("to", "结束日期不能早于开始日期。");
            return;
        }
        if (!ModelState.IsValid) return;
        var page = await queries.ListAsync(Caller, new AuditFilter(args.Range, Entity, EntityId?.Trim(), Actor, Action), args.Page, ct);
        (Entries, Total) = (page.Items, page.Total);
        Readable = await AuditReadables.LoadAsync(db, Entries, ct);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The fields an entry records, each with its value before and after as stored (strings unquoted); a field is
    /// named in Chinese where the workspace has a name for it, else by its stored key.
    /// </summary>
    public static List<Change> Changes(string? before, string? after, LocalTime? local = null, string? entity = null, AuditReadables? readable = null)
    {
        var old = Fields(before, local);
        var now = Fields(after, local);
        string? Shown(string field, string? value) => readable is null || entity is null ? value : readable.Value(entity, field, value);
        return old.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Select(k => new Change(Workspace.Fields.Label(k), Shown(k, old.GetValueOrDefault(k)), Shown(k, now.GetValueOrDefault(k)))).ToList();
    }

    private static Dictionary<string, string?> Fields(string? json, LocalTime? local)
    {
        var fields = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(json)) return fields;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return new() { ["—"] = json };
            foreach (var p in doc.RootElement.EnumerateObject())
                fields[p.Name] = p.Value.ValueKind switch
                {
                    // Instants are stored in UTC: shown in the configured zone, as everywhere on the pages.
                    JsonValueKind.String when local is not null && p.Value.TryGetDateTime(out var instant) && p.Value.GetString()!.EndsWith('Z')
                        => local.ToLocal(instant.ToUniversalTime()).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.True => "是",
                    JsonValueKind.False => "否",
                    JsonValueKind.Null => "（空）",
                    _ => p.Value.GetRawText(),
                };
        }
        catch (JsonException)
        {
            fields["—"] = json;
        }
        return fields;
    }

    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["actor"] = Actor,
        ["entity"] = Entity,
        ["action"] = Action,
        ["entityId"] = EntityId,
        ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
}
