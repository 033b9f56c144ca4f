using Fleet.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The few SQL fragments that differ between the providers, for set-based INSERT ... SELECT (which LINQ cannot say).
/// Everything else in those statements is written to work on both: [bracketed] names, CONCAT, LOWER(CAST(.. AS nvarchar(36))).
/// </summary>
public static class SetBased
{
    /// <summary>A new GUID per row, stored the way the provider stores EF's Guid keys (SQLite: upper-case text).</summary>
    public static string NewId(FleetDbContext db) => db.Database.IsSqlServer()
        ? "NEWID()"
        : "(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))";

    /// <summary>A Guid column as the lower-case text the API shows and audit entries record.</summary>
    public static string IdText(string column) => $"LOWER(CAST({column} AS nvarchar(36)))";
}
