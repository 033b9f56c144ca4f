using System.Data.Common;
using Fleet.Data.Auditing;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Api.Infrastructure;

public static class Database
{
    public const string SqlServerScript = "db/sqlserver/fleet.sql";
    public const string PostgreSqlScript = "db/postgresql/fleet.sql";

    /// <summary>The configured provider: Sqlite (the embedded default), SqlServer or PostgreSql.</summary>
    public static string Provider(IConfiguration config) => (config["Database:Provider"] ?? "Sqlite") switch
    {
        var p when p.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => "Sqlite",
        var p when p.Equals("SqlServer", StringComparison.OrdinalIgnoreCase) => "SqlServer",
        var p when p.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) || p.Equals("Postgres", StringComparison.OrdinalIgnoreCase) => "PostgreSql",
        var p => throw new InvalidOperationException($"Database:Provider must be Sqlite, SqlServer or PostgreSql, not '{p}'."),
    };

    /// <summary>A server database (SQL Server, PostgreSQL): shared by instances, changed only by its scripts unless told otherwise.</summary>
    public static bool IsServer(IConfiguration config) => Provider(config) != "Sqlite";

    /// <summary>Whether this context talks to a server database (SQL Server, PostgreSQL) rather than the embedded SQLite.</summary>
    public static bool IsServer(FleetDbContext db) => db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite";

    public static IServiceCollection AddFleetDatabase(this IServiceCollection services, IConfiguration config, FleetOptions fleet)
    {
        var provider = Provider(config);
        var connectionString = config.GetConnectionString("Fleet");
        // The embedded database belongs to one process: a second one on the same data directory is refused at start.
        if (provider == "Sqlite")
        {
            var held = DataDirectoryLock.Acquire(fleet.DataPath);
            services.AddSingleton(_ => held);
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(SqliteConnectionString(connectionString, fleet));
            if (file.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory && file.DataSource is { Length: > 0 } path && path != ":memory:")
                PrivateFiles.PrepareDatabaseFile(path);
        }
        else if (Directory.Exists(fleet.DataPath))
        {
            PrivateFiles.Tighten(fleet.DataPath);
        }
        services.AddSingleton(sp => new AuditInterceptor(sp.GetRequiredService<IAuditActor>(), sp.GetRequiredService<HostClock>()));
        services.AddSingleton<SqliteConnections>();
        // Pooled: a request reuses a context (and its options, built once) instead of building both anew. The request's
        // context is rented when something first asks for it, and narrowed then to the caller's region (RequestRegion):
        // a request that never touches it (the prepared vehicle read) never rents one.
        services.AddScoped<RequestRegion>();
        services.AddScoped(sp => sp.GetRequiredService<RequestRegion>().Apply(sp.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContext()));
        services.AddPooledDbContextFactory<FleetDbContext>((sp, options) =>
        {
            if (provider == "SqlServer")
            {
                options.UseSqlServer(connectionString ?? throw new InvalidOperationException("ConnectionStrings:Fleet is required with SQL Server."),
                    o => o.MigrationsAssembly("Fleet.Migrations.SqlServer"));
            }
            else if (provider == "PostgreSql")
            {
                options.UseNpgsql(PostgreSqlConnectionString(connectionString ?? throw new InvalidOperationException("ConnectionStrings:Fleet is required with PostgreSQL.")),
                    o => o.MigrationsAssembly("Fleet.Migrations.PostgreSql"));
            }
            else
            {
                PrivateFiles.CreateDirectory(fleet.DataPath);
                options.UseSqlite(SqliteConnectionString(connectionString, fleet),
                    o => o.MigrationsAssembly("Fleet.Migrations.Sqlite"));
                options.AddInterceptors(sp.GetRequiredService<SqliteConnections>(), new ScopeFilterSql());
            }
            options.AddInterceptors(sp.GetRequiredService<AuditInterceptor>());
        });
        return services;
    }

    /// <summary>Fleet's PostgreSQL connection string (with <see cref="PostgreSqlConnectionString(string)"/>'s defaults); null on the others.</summary>
    public static string? PostgreSqlConnectionString(IConfiguration config) =>
        Provider(config) == "PostgreSql" && config.GetConnectionString("Fleet") is { } configured ? PostgreSqlConnectionString(configured) : null;

    /// <summary>
    /// Fleet's PostgreSQL connections, unless the connection string says otherwise: statements used five times are
    /// prepared on each connection (<c>Max Auto Prepare=64</c>, kept while the pool holds the connection), and a
    /// connection going back to the pool is not reset (<c>No Reset On Close=true</c>): the reset (<c>DISCARD ALL</c>, or
    /// seven statements once statements are prepared) went with every request's first query. Fleet leaves nothing on a
    /// session to reset: no SET, no temporary table, no LISTEN; the one session lock (the migrations') is released
    /// before its connection goes back, and Npgsql rolls back a transaction left open either way. Code that adds
    /// session state must reset it itself. Behind PgBouncer in transaction mode set <c>Max Auto Prepare=0</c> (README).
    /// Measured: GET by id 5,205 → 7,307 req/s on the province.
    /// </summary>
    public static string PostgreSqlConnectionString(string configured)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static string SqliteConnectionString(string? configured, FleetOptions fleet) =>
        configured ?? $"Data Source={Path.Combine(fleet.DataPath, "fleet.db")}";

    /// <summary>The SQLite connection string, or null when the provider is not SQLite.</summary>
    public static string? SqliteConnectionString(IConfiguration config, FleetOptions fleet) =>
        IsServer(config) ? null : SqliteConnectionString(config.GetConnectionString("Fleet"), fleet);

    /// <summary>
    /// A server's migrations at start. Several instances starting at once on PostgreSQL: one migrates while the others
    /// wait on a session lock (held on this connection, which the migrations then use), then find nothing left to apply.
    /// </summary>
    private static async Task MigrateServerAsync(FleetDbContext db, ILogger logger)
    {
        if (!db.Database.IsNpgsql())
        {
            await MigrateAsync(db, logger);
            return;
        }
        await db.Database.OpenConnectionAsync();
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7251626)");
            await MigrateAsync(db, logger);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7251626)");
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Applies the migrations; when this start applied the enum repair, its log lists each row it set.</summary>
    private static async Task MigrateAsync(FleetDbContext db, ILogger logger)
    {
        var repairs = (await db.Database.GetPendingMigrationsAsync()).Any(m => m.EndsWith("_EnumNamesOnly", StringComparison.Ordinal));
        await db.Database.MigrateAsync();
        if (!repairs) return;
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Actor == Fleet.Data.Auditing.EnumRepair.Actor && a.Action == Fleet.Data.Auditing.EnumRepair.Action)
            .OrderBy(a => a.Id).Select(a => new { a.Entity, a.EntityId, a.Before, a.After }).ToListAsync();
        foreach (var e in entries)
            logger.LogWarning("Migration EnumNamesOnly: {Entity} {EntityId} held a value no name has, {Before}; set to {After}", e.Entity, e.EntityId, e.Before, e.After);
        logger.LogInformation("Migration EnumNamesOnly: {Count} row(s) set to a stated value", entries.Count);
    }

    /// <summary>
    /// SQLite: apply the migrations and switch to WAL. A server database (SQL Server, PostgreSQL) is changed only by its
    /// script, unless <c>Database:MigrateOnStart=true</c>; Fleet refuses to start on an out-of-date schema, naming the script.
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        if (db.Database.IsSqlite())
        {
            await MigrateAsync(db, logger);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            return;
        }
        var config = scope.ServiceProvider.GetRequiredService<IConfiguration>();
        var (server, script) = db.Database.IsSqlServer() ? ("SQL Server", SqlServerScript) : ("PostgreSQL", PostgreSqlScript);
        if (config.GetValue<bool>("Database:MigrateOnStart")) await MigrateServerAsync(db, logger);
        List<string> pending;
        try
        {
            pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"Cannot read the schema version from {server} ({e.Message}). Check ConnectionStrings:Fleet, " +
                $"and make sure {script} has been applied to the database.";
            logger.LogCritical("{Message}", message);
            throw new InvalidOperationException(message, e);
        }
        if (pending.Count == 0)
        {
            // SQL Server compares a uniqueidentifier's last bytes first: ids laid out for it keep inserts at the end of
            // its clustered indexes. Set once the server is confirmed, before any request (process-wide: one database per process).
            Ids.SqlServerOrder = db.Database.IsSqlServer();
            return;
        }
        {
            var message = $"The {server} schema is not current: {pending.Count} migration(s) not applied ({string.Join(", ", pending)}). " +
                $"Apply {script} (idempotent) to the database, or start once with Database:MigrateOnStart=true, then start Fleet again.";
            logger.LogCritical("{Message}", message);
            throw new InvalidOperationException(message);
        }
    }
}

/// <summary>
/// The data directory's lock: a file opened exclusively (an advisory lock on Linux, a sharing lock on Windows) and held
/// for the life of the host. Two processes on one embedded database would each run the jobs and each believe it is
/// alone; the second is refused with a message that says what to do instead.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "fleet.lock";
    private readonly FileStream file;

    private DataDirectoryLock(FileStream file) => this.file = file;

    public static DataDirectoryLock Acquire(string dataPath)
    {
        // The directory and what an earlier Fleet left in it (0755, 0644) made private before anything is opened.
        PrivateFiles.Tighten(dataPath);
        var path = Path.Combine(dataPath, FileName);
        try
        {
            var file = PrivateFiles.Create(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            file.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            file.Write(pid);
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another Fleet process is using the data directory {dataPath} (it holds {path}). The embedded SQLite database " +
                "serves one process: stop the other one, or give this one its own Fleet:DataDirectory. To run several instances, " +
                "use PostgreSQL or SQL Server (README: Running several instances).", e);
        }
    }

    public void Dispose() => file.Dispose();
}

/// <summary>
/// Every SQLite connection: writers wait for the single write lock instead of failing at once; with WAL, NORMAL
/// synchronisation is durable across crashes of the process and syncs only at checkpoints. Set through the native
/// handle, once per handle: an ADO.NET command per open cost more than the query it preceded.
/// </summary>
public sealed class SqliteConnections : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // Pooled connections keep their native handle: the settings are applied once per handle, not on every open.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = [];

    /// <summary>Applies the settings to an open connection made outside EF too (the vehicle reads).</summary>
    public static void Apply(DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle }) return;
        if (Applied.TryGetValue(handle, out _)) return;
        SQLitePCL.raw.sqlite3_busy_timeout(handle, 10_000);
        SQLitePCL.raw.sqlite3_exec(handle, "PRAGMA synchronous=NORMAL;");
        Applied.AddOrUpdate(handle, Applied);
    }
}

/// <summary>
/// On SQLite, the region scope's query filters ("no scope, or the unit lies in the range") reach the statement as
/// <c>@ef_filter__pN OR &lt;range test&gt;</c>, the first a boolean parameter. SQLite plans a statement before its
/// parameters are bound, and an OR with a parameter cannot drive an index: a city's violations were read by walking the
/// province's. The parameter's value is known here: true becomes the literal 1, which SQLite folds away with the whole
/// test (the root, the jobs); false drops the "OR" so that the range test stands alone and drives the unit index.
/// PostgreSQL plans with the values (custom plans) and needs none of this.
/// </summary>
public sealed class ScopeFilterSql : DbCommandInterceptor
{
    private const string Prefix = "@ef_filter__";

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Rewrite(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Rewrite(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Rewrite(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    public static void Rewrite(DbCommand command)
    {
        var text = command.CommandText;
        if (!text.Contains(Prefix, StringComparison.Ordinal)) return;
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is not bool value) continue;
            var name = parameter.ParameterName.StartsWith('@') ? parameter.ParameterName : "@" + parameter.ParameterName;
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            text = text.Replace(name + " OR ", value ? "1 OR " : "", StringComparison.Ordinal);
        }
        command.CommandText = text;
    }
}
