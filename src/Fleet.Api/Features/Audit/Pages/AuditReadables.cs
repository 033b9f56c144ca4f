using System.Reflection;
using System.Text.Json;

namespace Fleet.Api.Features.Audit.Pages;

/// <summary>
/// The audit page as a civil servant reads it: records and the ids in their changes named (a unit by its name, a car by
/// its plate, a person by their name), stored codes by their Chinese labels, a report download by the report's Chinese
/// name and its filters. Names are read through the request's context, so nothing outside the reader's scope is named
/// (an id outside it shows shortened, as before).
/// </summary>
public sealed partial class AuditReadables
{
    private static readonly Dictionary<string, Type> EntityTypes = typeof(Vehicle).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, Namespace: "Fleet.Data.Entities" }).GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());

    private readonly Dictionary<Guid, string> names = [];

    private AuditReadables()
    {
    }

    public static async Task<AuditReadables> LoadAsync(FleetDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var result = new AuditReadables();
        var ids = new HashSet<Guid>();
        foreach (var e in entries)
        {
            if (Guid.TryParse(e.EntityId, out var id)) ids.Add(id);
            foreach (var json in new[] { e.Before, e.After })
                foreach (var value in Strings(json))
                    foreach (System.Text.RegularExpressions.Match m in Ids().Matches(value))
                        ids.Add(Guid.Parse(m.Value));
        }
        if (ids.Count == 0) return result;
        var list = ids.ToList();
        foreach (var u in await db.Units.AsNoTracking().Where(u => list.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct)) result.names[u.Id] = u.Name;
        foreach (var v in await db.Vehicles.AsNoTracking().Where(v => list.Contains(v.Id)).Select(v => new { v.Id, v.PlateNumber }).ToListAsync(ct)) result.names[v.Id] = v.PlateNumber;
        foreach (var u in await db.Users.AsNoTracking().Where(u => list.Contains(u.Id)).Select(u => new { u.Id, u.Username, u.DisplayName }).ToListAsync(ct))
            result.names[u.Id] = u.DisplayName is { Length: > 0 } shown ? $"{shown}（{u.Username}）" : u.Username;
        foreach (var r in await db.Regions.AsNoTracking().Where(r => list.Contains(r.Id)).Select(r => new { r.Id, r.Name }).ToListAsync(ct)) result.names[r.Id] = r.Name;
        foreach (var h in await db.Holidays.AsNoTracking().Where(h => list.Contains(h.Id)).Select(h => new { h.Id, h.Name, h.FirstDay }).ToListAsync(ct))
            result.names[h.Id] = $"{h.Name}（{h.FirstDay:yyyy}）";
        foreach (var c in await db.Campaigns.AsNoTracking().Where(c => list.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct)) result.names[c.Id] = c.Name;
        foreach (var s in await db.SealUpSchedules.AsNoTracking().Where(s => list.Contains(s.Id)).Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, h.Name })
            .ToListAsync(ct)) result.names[s.Id] = $"{s.Name}封存安排";
        foreach (var s in await db.SpotChecks.AsNoTracking().Where(s => list.Contains(s.Id)).Select(s => new { s.Id, s.PlateNumber }).ToListAsync(ct)) result.names[s.Id] = $"{s.PlateNumber} 的抽查";
        foreach (var v in await db.Violations.AsNoTracking().Where(v => list.Contains(v.Id)).Select(v => new { v.Id, v.PlateNumber, v.Type }).ToListAsync(ct))
            result.names[v.Id] = $"{v.PlateNumber} {Labels.Of(v.Type)}";
        foreach (var r in await db.RecoveryCases.AsNoTracking().Where(r => list.Contains(r.Id)).Select(r => new { r.Id, r.PlateNumber }).ToListAsync(ct)) result.names[r.Id] = $"{r.PlateNumber} 的追缴";
        foreach (var o in await db.SealOrders.AsNoTracking().Where(o => list.Contains(o.Id)).Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o.Id, v.PlateNumber })
            .ToListAsync(ct)) result.names[o.Id] = $"{o.PlateNumber} 的封存任务";
        return result;
    }

    /// <summary>The record an entry is about, as people name it: 鲁A12345, 区委办公室, a report's Chinese name; else its id shortened.</summary>
    public string Record(AuditEntry entry) =>
        entry.Entity == "Report" ? Reports.ReportFile.Title(entry.EntityId)
        : Guid.TryParse(entry.EntityId, out var id) && names.TryGetValue(id, out var name) ? name
        : entry.EntityId.Length > 13 ? "…" + entry.EntityId[^12..] : entry.EntityId;

    /// <summary>One stored value as people read it: an id by its name, a code by its Chinese label; else as stored.</summary>
    public string? Value(string entity, string field, string? value)
    {
        if (value is null) return null;
        // An id, or ids inside a text (a violation's "SpotCheck:…" key): each by its name, else shortened.
        if (Ids().IsMatch(value))
            return Ids().Replace(value, m => names.TryGetValue(Guid.Parse(m.Value), out var name) ? name : "…" + m.Value[^8..]);
        if (EntityTypes.TryGetValue(entity, out var type) &&
            type.GetProperty(field, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType is { } property &&
            (Nullable.GetUnderlyingType(property) ?? property) is { IsEnum: true } enumType && Enum.TryParse(enumType, value, out var parsed) &&
            parsed is Enum code && Labels.Has(code))
            return Labels.Of(code);
        if (entity == "Report" && field == "report") return Reports.ReportFile.Title(value);
        return value;
    }

    /// <summary>A report download's filters (stored as an object of query parameters), named in Chinese.</summary>
    public string? Filters(string? after)
    {
        if (string.IsNullOrEmpty(after)) return null;
        try
        {
            using var doc = JsonDocument.Parse(after);
            if (!doc.RootElement.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Object) return null;
            var parts = filters.EnumerateObject().Select(p => $"{Workspace.Fields.Label(p.Name)} {Value("Report", p.Name, p.Value.ToString())}").ToList();
            return parts.Count == 0 ? "无" : string.Join("；", parts);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")]
    private static partial System.Text.RegularExpressions.Regex Ids();

    private static IEnumerable<string> Strings(string? json)
    {
        if (string.IsNullOrEmpty(json)) yield break;
        List<string> found = [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            // The record's own fields, and a report download's filters one level down.
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.String) found.Add(p.Value.GetString()!);
                    else if (p.Value.ValueKind == JsonValueKind.Object)
                        found.AddRange(p.Value.EnumerateObject().Where(q => q.Value.ValueKind == JsonValueKind.String).Select(q => q.Value.GetString()!));
                }
        }
        catch (JsonException)
        {
        }
        foreach (var s in found) yield return s;
    }
}
