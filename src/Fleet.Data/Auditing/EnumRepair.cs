namespace Fleet.Data.Auditing;

/// <summary>
/// The migration that mends what .NET's lenient enum parsing let in before Fleet read enums by name only: a request
/// naming two values ("PrivateUse, OffSiteParking") stored a value no name has ("7"), which made every later read of the
/// record fail. Each such row is set to a stated value, the least a person would have claimed, with an audit entry by
/// <c>system:migration</c> in the one shape (the column before and after, and the version where the record has one).
/// Values that added up to a real name ("Admin, Inspector" stored as Inspector) cannot be told apart from a real
/// choice and stay as stored.
/// </summary>
public static class EnumRepair
{
    public const string Actor = "system:migration";
    public const string Action = "Repair";

    /// <summary>The columns a request set, their names when this migration was written, and the value a bad one becomes.</summary>
    public static readonly (string Table, string Column, string Entity, string[] Names, string StatedValue, bool Versioned)[] Columns =
    [
        ("Units", "Kind", "Unit", ["Department", "SubDistrictOffice", "Institution"], "Institution", true),
        ("Users", "Role", "User", ["Admin", "VehicleAdmin", "Inspector", "Auditor"], "Auditor", true),
        ("Vehicles", "Category", "Vehicle", ["General", "LawEnforcement", "SpecialPurpose", "Emergency"], "General", true),
        ("Vehicles", "Source", "Vehicle", ["Allocated", "BorrowedFromEnterprise", "Seconded", "Unregistered"], "Allocated", true),
        ("SpotChecks", "Finding", "SpotCheck",
            ["Compliant", "SealBroken", "VehicleMissing", "PrivateUse", "OffSiteParking", "UnregisteredVehicle", "Other"], "Other", false),
        ("Violations", "Type", "Violation", ["OverQuota", "OverStandard", "IllegalSource", "SealDeadlineMissed", "SealBroken", "VehicleMissing",
            "PrivateUse", "OffSiteParking", "UnregisteredVehicle", "Other", "UsedWhileSealed", "OffHoursUse"], "Other", true),
        ("PersonActions", "Action", "PersonAction",
            ["Reminder", "Admonishment", "Criticism", "PartyDiscipline", "GovernmentSanction", "Transferred"], "Reminder", false),
        ("RecoveryCases", "Reason", "RecoveryCase", ["OverQuota", "BorrowedFromEnterprise", "OverStandard", "Unregistered", "Other"], "Other", true),
        ("RecoveryCases", "Disposition", "RecoveryCase", ["ReturnedToOwner", "Reassigned", "Auctioned", "Scrapped"], "ReturnedToOwner", true),
    ];

    /// <summary>The statements for a provider: "Sqlite", "SqlServer" or "PostgreSql".</summary>
    public static string Sql(string provider)
    {
        var (q, now, id) = provider switch
        {
            "PostgreSql" => ((Func<string, string>)(n => $"\"{n}\""), "now()", "CAST(t.\"Id\" AS text)"),
            "SqlServer" => (n => $"[{n}]", "SYSUTCDATETIME()", "LOWER(CAST(t.[Id] AS nvarchar(36)))"),
            _ => (n => $"[{n}]", "strftime('%Y-%m-%d %H:%M:%f', 'now')", "LOWER(CAST(t.[Id] AS nvarchar(36)))"),
        };
        var sql = new System.Text.StringBuilder();
        foreach (var (table, column, entity, names, stated, versioned) in Columns)
        {
            var key = AuditShape.Key(column);
            var bad = $"t.{q(column)} IS NOT NULL AND t.{q(column)} NOT IN ({string.Join(", ", names.Select(n => $"'{n}'"))})";
            // The stored text in JSON: backslashes and quotes escaped (what was stored is whatever a request sent).
            var old = $"REPLACE(REPLACE(t.{q(column)}, '\\', '\\\\'), '\"', '\\\"')";
            var before = versioned
                ? $"CONCAT('{{\"{key}\":\"', {old}, '\",\"version\":', t.{q("Version")}, '}}')"
                : $"CONCAT('{{\"{key}\":\"', {old}, '\"}}')";
            var after = versioned
                ? $"CONCAT('{{\"{key}\":\"{stated}\",\"version\":', t.{q("Version")} + 1, '}}')"
                : $"'{{\"{key}\":\"{stated}\"}}'";
            sql.AppendLine($"INSERT INTO {q("AuditEntries")} ({q("At")}, {q("Actor")}, {q("Entity")}, {q("EntityId")}, {q("Action")}, {q("Before")}, {q("After")})");
            sql.AppendLine($"SELECT {now}, '{Actor}', '{entity}', {id}, '{Action}', {before}, {after} FROM {q(table)} t WHERE {bad};");
            sql.AppendLine($"UPDATE {q(table)} SET {q(column)} = '{stated}'{(versioned ? $", {q("Version")} = {q("Version")} + 1" : "")}");
            sql.AppendLine($"WHERE {q(column)} IS NOT NULL AND {q(column)} NOT IN ({string.Join(", ", names.Select(n => $"'{n}'"))});");
        }
        return sql.ToString();
    }
}
