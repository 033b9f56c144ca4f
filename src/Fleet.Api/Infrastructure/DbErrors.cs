using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Database refusals told apart by error number, never by message text: SQLite's extended result codes
/// (2067 SQLITE_CONSTRAINT_UNIQUE, 1555 SQLITE_CONSTRAINT_PRIMARYKEY), SQL Server's 2601 and 2627.
/// </summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(Exception e) => (e as DbUpdateException)?.InnerException switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException s => s.Number is 2601 or 2627,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>A transaction the server chose as a deadlock's victim (PostgreSQL 40P01, SQL Server 1205): run again, it succeeds.</summary>
    public static bool IsDeadlock(Exception e) => (e as DbUpdateException)?.InnerException switch
    {
        SqlException s => s.Number == 1205,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    /// <summary>
    /// Saves, turning the database's verdict on a race (a unique index, or a record changed since it was read) into a
    /// 409 for the loser. Nothing of the failed unit of work is written.
    /// </summary>
    /// <param name="conflict">The loser's refusal (409), by code.</param>
    /// <param name="staleIsPrecondition">When the caller named the version it read (If-Match): a record changed since is a 412.</param>
    public static async Task<Refusal?> SaveAsync(this Fleet.Data.FleetDbContext db, CodedText conflict, CancellationToken ct, bool staleIsPrecondition = false)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return staleIsPrecondition && e is DbUpdateConcurrencyException ? Refusal.Stale() : Refusal.Conflict(conflict);
        }
    }
}
