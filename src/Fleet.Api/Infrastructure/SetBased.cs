using Fleet.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The few SQL fragments that differ between the providers, for set-based INSERT ... SELECT (which LINQ cannot say).
/// Everything else in those statements is written to work on both: [bracketed] names, CONCAT, LOWER(CAST(.. AS nvarchar(36))).
/// </summary>
public static class SetBased
{
    /// <summary>
    /// A new GUID per row, stored the way the provider stores EF's Guid keys (SQLite: upper-case text). On SQLite, given
    /// a column unique within the statement (a rowid), the ids share a fresh time-ordered prefix and end in that number,
    /// so a million inserts append to the primary-key index instead of scattering over it (measured: the reconcile job
    /// several times faster). SQL Server has no per-row sequential function usable here: NEWID().
    /// </summary>
    public static string NewId(FleetDbContext db, string uniqueNumber)
    {
        if (db.Database.IsSqlServer()) return "NEWID()";
        var prefix = Guid.CreateVersion7().ToString("D").ToUpperInvariant()[..24];
        return $"('{prefix}' || printf('%012X', {uniqueNumber}))";
    }

    /// <summary>
    /// For one large set-based unit of work on SQLite: a page cache big enough for the indexes it touches (the default
    /// 2 MB makes a million-row update thrash), given back when done.
    /// </summary>
    public static async Task<IAsyncDisposable?> LargeCacheAsync(FleetDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return null;
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-1048576;", ct);
        return new RestoreCache(db);
    }

    private sealed class RestoreCache(FleetDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-2000;");
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The transaction of a set-based step that writes audit entries from the rows it is about to change, then changes
    /// them: the rows it read must not change in between. SQLite's writer holds the database from the first write;
    /// elsewhere repeatable read keeps a concurrent change (a seal) from slipping between the two statements.
    /// </summary>
    public static Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginStableAsync(FleetDbContext db, CancellationToken ct) =>
        db.Database.IsSqlite() ? db.Database.BeginTransactionAsync(ct) : db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

    /// <summary>A Guid column as the lower-case text the API shows and audit entries record.</summary>
    public static string IdText(string column) => $"LOWER(CAST({column} AS nvarchar(36)))";
}
