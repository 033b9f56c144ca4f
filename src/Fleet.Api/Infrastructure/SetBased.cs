namespace Fleet.Api.Infrastructure;

/// <summary>
/// The few SQL fragments that differ between the providers, for set-based INSERT ... SELECT (which LINQ cannot say);
/// each provider's own answer lives in its <see cref="Provider"/>.
/// Everything else in those statements is written to work on all three: [bracketed] names (turned into "quoted" ones for
/// PostgreSQL by <see cref="Dialect"/>), CONCAT, and the helpers below for ids and booleans.
/// </summary>
public static class SetBased
{
    /// <summary>
    /// A new GUID per row, stored the way the provider stores EF's Guid keys (SQLite: upper-case text). On SQLite, given
    /// a column unique within the statement (a rowid), the ids share a fresh time-ordered prefix and end in that number,
    /// so a million inserts append to the primary-key index instead of scattering over it (measured: the reconcile job
    /// several times faster). SQL Server gets <see cref="SqlServerSequentialId"/>, PostgreSQL a random uuid.
    /// </summary>
    public static string NewId(FleetDbContext db, string uniqueNumber) => Provider.Of(db).NewId(uniqueNumber);

    /// <summary>
    /// SQL Server: ids laid out as <see cref="Ids.SqlServerSequential"/> lays them out, from a block of its counter
    /// reserved for this statement. Each row's number (<c>ROW_NUMBER()</c>) is added to the block's start. The low 16 bits
    /// go in the fourth group and the rest in the last, the bytes SQL Server compares first, behind a random prefix.
    /// </summary>
    public static string SqlServerSequentialId()
    {
        var start = Ids.Reserve(1L << 24);
        var prefix = Guid.NewGuid().ToString("D")[..18];
        var value = $"(CAST({start} AS bigint) + ROW_NUMBER() OVER (ORDER BY (SELECT NULL)))";
        return $"CAST(CONCAT('{prefix}-', RIGHT(CONVERT(varchar(18), CONVERT(varbinary(8), {value} % 65536), 2), 4), '-', " +
            $"RIGHT(CONVERT(varchar(18), CONVERT(varbinary(8), {value} / 65536), 2), 12)) AS uniqueidentifier)";
    }

    /// <summary>
    /// For one large set-based unit of work on SQLite: a page cache big enough for the indexes it touches (the default
    /// 2 MB makes a million-row update thrash), given back when done: back to the default, and the pages beyond it freed.
    /// </summary>
    public static Task<IAsyncDisposable?> LargeCacheAsync(FleetDbContext db, CancellationToken ct, int megabytes = 1024) =>
        Provider.Of(db) is not SqliteProvider
            ? Task.FromResult<IAsyncDisposable?>(null)
            : HoldSettingAsync(db, "PRAGMA cache_size=-" + (megabytes * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";",
                "PRAGMA cache_size=-2000; PRAGMA shrink_memory;", NativeMemory.Trim, ct);

    /// <summary>
    /// For one long read on SQLite (a report's details in the order of an index): the database file read through a memory
    /// map instead of a read call per page. A million rows taken in time order visit the table's pages out of order, and
    /// the default 2 MB page cache made every row a system call (measured on the province's violations: 4.3 s, 2.1 s of it
    /// in the kernel; mapped, 1.4 s). The mapped pages are the operating system's page cache, shared and given back; the
    /// map is closed when done. 0 megabytes: no map.
    /// </summary>
    public static Task<IAsyncDisposable?> MappedReadAsync(FleetDbContext db, int megabytes, CancellationToken ct) =>
        megabytes <= 0 || Provider.Of(db) is not SqliteProvider
            ? Task.FromResult<IAsyncDisposable?>(null)
            : HoldSettingAsync(db, "PRAGMA mmap_size=" + ((long)megabytes << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";",
                "PRAGMA mmap_size=0;", null, ct);

    /// <summary>
    /// Opens the context's connection with a setting of its own until disposed, when <paramref name="reset"/> puts it back
    /// and the connection is closed: a pooled connection would keep the setting otherwise. The setting is not cancelled
    /// half-way, and a failure anywhere still closes the connection.
    /// </summary>
    private static async Task<IAsyncDisposable?> HoldSettingAsync(FleetDbContext db, string set, string reset, Action? afterReset, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var held = new HeldSetting(db, reset, afterReset);
        try
        {
            await db.Database.ExecuteSqlRawAsync(set, CancellationToken.None);
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    private sealed class HeldSetting(FleetDbContext db, string reset, Action? afterReset) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync(reset);
                afterReset?.Invoke();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// The transaction of a set-based step that writes audit entries from the rows it is about to change, then changes
    /// them: the rows it read must not change in between. SQLite's writer holds the database from the first write;
    /// elsewhere repeatable read keeps a concurrent change (a seal) from slipping between the two statements.
    /// </summary>
    public static Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginStableAsync(FleetDbContext db, CancellationToken ct) =>
        Provider.Of(db).BeginStableAsync(db, ct);

    /// <summary>
    /// Runs a level-triggered set-based unit of work, again from the start when the database settled a race against it:
    /// PostgreSQL's repeatable read refuses a transaction whose rows another one changed (40001), either server may pick
    /// it as a deadlock's victim, and a concurrent insert of the same key loses on the unique index. Run again, the
    /// unit sees what the winner committed and does only what is still missing, so each change is made exactly once.
    /// </summary>
    public static async Task RetryRacesAsync(FleetDbContext db, Func<Task> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception e) when (attempt < 8 && LostRace(e))
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt + Random.Shared.Next(20)), ct);
            }
        }
    }

    private static bool LostRace(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: "40001" or "40P01" or "23505" }) return true;
            if (e is Microsoft.Data.SqlClient.SqlException { Number: 1205 or 2601 or 2627 }) return true;
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }) return true;
        }
        return false;
    }

    /// <summary>A Guid column as the lower-case text the API shows and audit entries record.</summary>
    public static string IdText(FleetDbContext db, string column) =>
        Provider.Of(db).IdText(column);

    /// <summary>A boolean literal: SQL Server's bit has no TRUE; SQLite (1 and 0) and PostgreSQL take TRUE and FALSE.</summary>
    public static string Bool(FleetDbContext db, bool value) => Provider.Of(db).Bool(value);

    /// <summary>
    /// One audit entry per row that <paramref name="where"/> selects from <paramref name="from"/> (aliased <c>x</c>, keyed by
    /// <c>x.[Id]</c>, belonging to the unit <c>x.[UnitId]</c>), with the actor and time of this run: what a set-based statement writes in place of the interceptor.
    /// <paramref name="before"/> and <paramref name="after"/> are <see cref="Fleet.Data.Auditing.AuditShape.SqlObject"/>
    /// expressions, so the entry has the interceptor's shape. Run it first, in the caller's transaction, from the very rows
    /// the statement will change. Placeholders {0}… in <paramref name="where"/> are <paramref name="parameters"/>.
    /// </summary>
    public static Task<int> AuditAsync(FleetDbContext db, string actor, DateTime at, string entity, string action, string from, string where,
        string? before, string? after, object[] parameters, CancellationToken ct)
    {
        var n = parameters.Length;
#pragma warning disable EF1002 // Interpolated are only fragments from code (names, AuditShape expressions); values go as parameters.
        return db.Database.ExecuteSqlRawAsync(Dialect(db, $$"""
            INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After], [UnitId])
            SELECT {{{n}}}, {{{n + 1}}}, '{{entity}}', {{IdText(db, "x.[Id]")}}, '{{action}}', {{before ?? "NULL"}}, {{after ?? "NULL"}}, x.[UnitId]
            FROM {{from}}
            WHERE {{where}}
            """), [.. parameters, at, actor], ct);
#pragma warning restore EF1002
    }

    /// <summary>
    /// The statement for this provider: written with [bracketed] names, which SQLite and SQL Server read; PostgreSQL
    /// quotes names "so" (its script and statements never hold a bracket otherwise).
    /// </summary>
    public static string Dialect(FleetDbContext db, string sql) =>
        Provider.Of(db).Quoted(sql);
}

/// <summary>
/// SQLite's pages are malloc'd; freed, glibc keeps them in the arena of the thread that freed them, and each large unit
/// of work runs on whichever pool thread: a server doing ten imports kept four gigabytes. Trimming gives them back.
/// </summary>
internal static class NativeMemory
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to trim this way.
        }
    }
}
