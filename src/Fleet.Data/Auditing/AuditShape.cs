using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Fleet.Data.Auditing;

/// <summary>
/// The one shape of an audit entry's <c>before</c> and <c>after</c>, whoever writes it (the interceptor, a job's set-based
/// statement): a JSON object with camelCase keys in ordinal order; a created record gives every field in <c>after</c>; a
/// change gives the fields it changed (and <c>version</c>) on both sides. Enums are names, ids lower-case, instants ISO 8601 UTC.
/// </summary>
public static class AuditShape
{
    private static readonly HashSet<string> Secret = ["PasswordHash", "SecurityStamp"];

    /// <summary>One value as it appears in an entry.</summary>
    public static string Value(object? value) => JsonSerializer.Serialize(value is Enum ? value.ToString() : value);

    public static string Key(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    /// <summary>The entry's side for a tracked record: every field when created, else the changed ones and the version.</summary>
    public static string Of(EntityEntry entry, bool original)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in entry.Properties)
        {
            if (entry.State == EntityState.Modified && !p.IsModified && p.Metadata.Name != nameof(Entities.IVersioned.Version)) continue;
            values[Key(p.Metadata.Name)] = Shown(p.Metadata.Name, original ? p.OriginalValue : p.CurrentValue);
        }
        return JsonSerializer.Serialize(values);
    }

    /// <summary>A field's value as an entry holds it: secrets masked, enums by name.</summary>
    private static object? Shown(string property, object? value) => Secret.Contains(property) ? "***" : value is Enum ? value.ToString() : value;

    /// <summary>The entry's entity id: the record's key values, comma-joined (a composite key has several).</summary>
    public static string EntityId(IEnumerable<object?> keyValues) =>
        string.Join(",", keyValues.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The <c>after</c> of a record created without being tracked (bulk inserts): what <see cref="Of"/> gives for it once added.</summary>
    public static string OfNew(Microsoft.EntityFrameworkCore.Metadata.IEntityType type, object record)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties())
            values[Key(p.Name)] = Shown(p.Name, p.GetGetter().GetClrValueUsingContainingEntity(record));
        return JsonSerializer.Serialize(values);
    }

    /// <summary>
    /// The same object built in SQL, for set-based statements: each field given as an SQL expression that yields its
    /// JSON text (<see cref="Sql"/>, <see cref="SqlText"/>). Braces are doubled for EF's raw SQL formatting.
    /// </summary>
    public static string SqlObject(params (string Key, string SqlJson)[] fields)
    {
        var parts = fields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select((f, i) => $"'{(i == 0 ? "{{" : ",")}\"{f.Key}\":', {f.SqlJson}");
        return $"CONCAT({string.Join(", ", parts)}, '}}}}')";
    }

    /// <summary>A constant value, as an SQL literal of its JSON text.</summary>
    public static string Sql(object? value) => $"'{Value(value).Replace("'", "''").Replace("{", "{{").Replace("}", "}}")}'";

    /// <summary>A text column (no quotes or backslashes in it: codes, plates, enum names), as a JSON string.</summary>
    public static string SqlText(string column) => $"'\"', {column}, '\"'";
}
