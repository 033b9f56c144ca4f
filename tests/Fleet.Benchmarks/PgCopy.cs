using System.Data;
using System.Diagnostics;
using Fleet.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fleet.Benchmarks;

/// <summary>
/// The province on PostgreSQL: the generated SQLite province copied, table by table, into a PostgreSQL database made by
/// Fleet's PostgreSQL migrations (binary COPY, the columns and store types read from the PostgreSQL model; triggers off
/// while copying, identity sequences moved past the copied ids, ANALYZE at the end). The PostgreSQL rows of the
/// benchmarks then run on the same records as the SQLite rows.
/// </summary>
public static class PgCopy
{
    /// <summary>Whether a benchmark's "database" is a PostgreSQL connection string rather than a SQLite file.</summary>
    public static bool IsPostgres(string database) => database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    public static async Task RunAsync(string sqliteFile, string connectionString)
    {
        var watch = Stopwatch.StartNew();
        var options = new DbContextOptionsBuilder<FleetDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly("Fleet.Migrations.PostgreSql").CommandTimeout(3600)).Options;
        await using (var db = new FleetDbContext(options))
        {
            await db.Database.EnsureDeletedAsync();
            await db.Database.MigrateAsync();
        }
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync();
        await Execute(target, "SET session_replication_role = replica");
        await using var source = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly");
        await source.OpenAsync();
        var present = new HashSet<string>();
        await using (var tables = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table'", source).ExecuteReader())
            while (tables.Read()) present.Add(tables.GetString(0));

        await using var model = new FleetDbContext(options);
        foreach (var table in model.Model.GetRelationalModel().Tables)
        {
            if (!present.Contains(table.Name) || table.Name.StartsWith("__EF", StringComparison.Ordinal)) continue;
            var columns = table.Columns.ToList();
            var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
            await Execute(target, $"DELETE FROM \"{table.Name}\"");
            await using var read = new SqliteCommand($"SELECT {names} FROM \"{table.Name}\"", source).ExecuteReader();
            long rows = 0;
            await using (var copy = await target.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({names}) FROM STDIN (FORMAT BINARY)"))
            {
                while (read.Read())
                {
                    await copy.StartRowAsync();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        if (read.IsDBNull(i)) await copy.WriteNullAsync();
                        else await WriteAsync(copy, read, i, columns[i].ProviderClrType, columns[i].StoreType);
                    }
                    rows++;
                }
                await copy.CompleteAsync();
            }
            Console.WriteLine($"  {table.Name}: {rows:N0} rows ({watch.Elapsed.TotalSeconds:F0} s)");
        }
        await Execute(target, "SET session_replication_role = origin");
        // Identity columns continue after the copied ids.
        var sequences = new List<(string Table, string Column)>();
        await using (var identity = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')", target).ExecuteReader())
            while (identity.Read()) sequences.Add((identity.GetString(0), identity.GetString(1)));
        foreach (var (table, column) in sequences)
            await Execute(target, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)");
        await Execute(target, "VACUUM ANALYZE");
        Console.WriteLine($"copied in {watch.Elapsed.TotalSeconds:F0} s");
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, SqliteDataReader read, int i, Type type, string storeType)
    {
        var pgType = storeType.Split('(')[0];
        return Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
        {
            TypeCode.String => copy.WriteAsync(read.GetString(i), pgType),
            TypeCode.Int16 => copy.WriteAsync((short)read.GetInt64(i), pgType),
            TypeCode.Int32 => copy.WriteAsync(read.GetInt32(i), pgType),
            TypeCode.Int64 => copy.WriteAsync(read.GetInt64(i), pgType),
            TypeCode.Boolean => copy.WriteAsync(read.GetBoolean(i), pgType),
            TypeCode.Decimal => copy.WriteAsync(read.GetDecimal(i), pgType),
            TypeCode.Double => copy.WriteAsync(read.GetDouble(i), pgType),
            TypeCode.DateTime => copy.WriteAsync(pgType.Contains("with time zone") ? DateTime.SpecifyKind(read.GetDateTime(i), DateTimeKind.Utc) : read.GetDateTime(i), pgType),
            _ when type == typeof(Guid) => copy.WriteAsync(read.GetGuid(i), pgType),
            _ when type == typeof(DateOnly) => copy.WriteAsync(read.GetFieldValue<DateOnly>(i), pgType),
            _ when type == typeof(TimeOnly) => copy.WriteAsync(read.GetFieldValue<TimeOnly>(i), pgType),
            _ when type == typeof(DateTimeOffset) => copy.WriteAsync(read.GetFieldValue<DateTimeOffset>(i).ToUniversalTime(), pgType),
            _ when type == typeof(byte[]) => copy.WriteAsync(read.GetFieldValue<byte[]>(i), pgType),
            _ => throw new NotSupportedException($"column of {type} ({storeType})"),
        };
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A copy of a PostgreSQL database (CREATE DATABASE ... TEMPLATE): what <see cref="ReconcileBenchmark.Copy"/> is for a file.</summary>
    public static string CopyDatabase(string connectionString, string what)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = $"fleet_{what.Replace('-', '_')}_{Guid.NewGuid():N}"[..40];
        using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            admin.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{builder.Database}\"", admin) { CommandTimeout = 3600 };
            command.ExecuteNonQuery();
        }
        builder.Database = name;
        return builder.ConnectionString;
    }

    public static void DropDatabase(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        admin.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        command.ExecuteNonQuery();
    }
}
