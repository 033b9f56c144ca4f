using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// Reads one vehicle by id, within the caller's unit scope. On SQL Server through EF (a compiled query); on PostgreSQL by
/// hand on a pooled connection (<see cref="FindOnPostgresAsync"/>). On the embedded
/// SQLite default, the hottest read of the API goes by hand: a few long-lived read connections, each with the statement
/// prepared once. Through EF every read rented a context, opened a pooled connection (which re-registers EF's SQL
/// functions on the native handle), prepared the statement anew and closed it again; by hand the endpoint serves
/// 27,776 req/s instead of 11,095 (docs/decisions/003).
/// The column list and the storage formats (TEXT ids in upper case, enums as names, TEXT decimals and dates) are EF's;
/// a test compares this reader's answer with EF's for every field.
/// </summary>
public sealed class VehicleReads : IDisposable
{
    private const string Sql = """
        SELECT "Id", "PlateNumber", "Vin", "Make", "Model", "Category", "EngineDisplacement", "PurchasePrice", "AcquiredOn",
               "Source", "UnitId", "Status", "OverStandard", "RegisteredAt", "DisposedAt", "DisposalReason", "Version",
               "FuelCardNumber"
        FROM "Vehicles" WHERE "Id" = $id AND ($unit IS NULL OR "UnitId" = $unit)
          AND ($low IS NULL OR EXISTS (SELECT 1 FROM "Units" u WHERE u."Id" = "UnitId" AND u."RegionCode" BETWEEN $low AND $high))
        """;

    private static readonly Func<FleetDbContext, Guid, Guid?, Task<Vehicle?>> ById = EF.CompileAsyncQuery(
        (FleetDbContext db, Guid id, Guid? unit) => db.Vehicles.AsNoTracking().FirstOrDefault(v => v.Id == id && (unit == null || v.UnitId == unit)));

    private const string PostgreSql = """
        SELECT v."Id", v."PlateNumber", v."Vin", v."Make", v."Model", v."Category", v."EngineDisplacement", v."PurchasePrice", v."AcquiredOn",
               v."Source", v."UnitId", v."Status", v."OverStandard", v."RegisteredAt", v."DisposedAt", v."DisposalReason", v."Version",
               v."FuelCardNumber"
        FROM "Vehicles" v WHERE v."Id" = $1 AND ($2::uuid IS NULL OR v."UnitId" = $2)
          AND ($3::integer IS NULL OR (SELECT u."RegionCode" BETWEEN $3 AND $4 FROM "Units" u WHERE u."Id" = v."UnitId"))
        """;

    private readonly string? sqlite;
    private readonly string? postgres;
    private readonly ConcurrentBag<Reader> idle = [];
    // Enough for every request in flight under load (a reader is only a connection and one prepared statement).
    private readonly int maxIdle = Math.Max(64, Environment.ProcessorCount * 16);
    private bool disposed;

    /// <param name="sqliteConnectionString">The SQLite database's connection string; null on the servers.</param>
    /// <param name="postgresConnectionString">PostgreSQL's (Fleet's, as EF's connections use it: the same pool); null otherwise.</param>
    public VehicleReads(string? sqliteConnectionString, string? postgresConnectionString = null) =>
        (sqlite, postgres) = (sqliteConnectionString, postgresConnectionString);

    /// <summary>True on SQL Server: the read goes through the caller's context.</summary>
    public bool NeedsContext => sqlite is null && postgres is null;

    /// <param name="scope">The caller's region subtree (null: the whole deployment). Through a context, the context's own
    /// query filter applies it; by hand, the statement does, as the filter would.</param>
    /// <param name="db">The caller's context, for the server databases (and on SQLite when it has a transaction open, whose
    /// writes the long-lived connections would not see).</param>
    public async Task<Vehicle?> FindAsync(Guid id, Guid? unit, RegionScope? scope, FleetDbContext? db)
    {
        if ((sqlite is null && postgres is null) || db?.Database.CurrentTransaction is not null)
            return await ById(db ?? throw new ArgumentNullException(nameof(db)), id, unit);
        if (postgres is not null) return await FindOnPostgresAsync(id, unit, scope);
        var reader = idle.TryTake(out var r) ? r : new Reader(sqlite!);
        try
        {
            return reader.Find(id, unit, scope);
        }
        finally
        {
            if (!disposed && idle.Count < maxIdle) idle.Add(reader);
            else reader.Dispose();
        }
    }

    /// <summary>
    /// PostgreSQL: the statement by hand on a connection of EF's pool (prepared there after a few uses: Fleet's connection
    /// string asks for it), without renting a context; EF's compiled query spent more than the read itself. The region
    /// test is the unit's code looked up by key: as EXISTS, the prepared (generic) plan hashed every unit of the region
    /// on each read (a city's 649: 0.4 ms instead of 0.03).
    /// </summary>
    private async Task<Vehicle?> FindOnPostgresAsync(Guid id, Guid? unit, RegionScope? scope)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PostgreSql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid, Value = id });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid, Value = unit is { } u ? u : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer, Value = scope is { } s ? s.Low : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer, Value = scope is { } t ? t.High : DBNull.Value });
        await using var row = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
        if (!await row.ReadAsync()) return null;
        return new Vehicle
        {
            Id = row.GetGuid(0),
            PlateNumber = row.GetString(1),
            Vin = row.GetString(2),
            Make = row.GetString(3),
            Model = row.GetString(4),
            Category = StoredEnums.Read<VehicleCategory>(row.GetString(5)),
            EngineDisplacement = row.GetDecimal(6),
            PurchasePrice = row.GetDecimal(7),
            AcquiredOn = row.GetFieldValue<DateOnly>(8),
            Source = StoredEnums.Read<VehicleSource>(row.GetString(9)),
            UnitId = row.GetGuid(10),
            Status = StoredEnums.Read<VehicleStatus>(row.GetString(11)),
            OverStandard = row.GetBoolean(12),
            RegisteredAt = row.GetDateTime(13),
            DisposedAt = row.IsDBNull(14) ? null : row.GetDateTime(14),
            DisposalReason = row.IsDBNull(15) ? null : row.GetString(15),
            Version = row.GetInt32(16),
            FuelCardNumber = row.IsDBNull(17) ? null : row.GetString(17),
        };
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var reader)) reader.Dispose();
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand command;
        private readonly SqliteParameter id;
        private readonly SqliteParameter unit;
        private readonly SqliteParameter low;
        private readonly SqliteParameter high;

        public Reader(string connectionString)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            Infrastructure.SqliteConnections.Apply(connection);
            command = connection.CreateCommand();
            command.CommandText = Sql;
            id = command.Parameters.Add("$id", SqliteType.Text);
            unit = command.Parameters.Add("$unit", SqliteType.Text);
            low = command.Parameters.Add("$low", SqliteType.Integer);
            high = command.Parameters.Add("$high", SqliteType.Integer);
            command.Prepare();
        }

        public Vehicle? Find(Guid vehicleId, Guid? unitId, RegionScope? scope)
        {
            id.Value = Text(vehicleId);
            unit.Value = unitId is { } u ? Text(u) : DBNull.Value;
            low.Value = scope is { } s ? s.Low : DBNull.Value;
            high.Value = scope is { } t ? t.High : DBNull.Value;
            using var row = command.ExecuteReader(CommandBehavior.SingleRow);
            if (!row.Read()) return null;
            return new Vehicle
            {
                Id = Guid.Parse(row.GetString(0)),
                PlateNumber = row.GetString(1),
                Vin = row.GetString(2),
                Make = row.GetString(3),
                Model = row.GetString(4),
                Category = Enum.Parse<VehicleCategory>(row.GetString(5)),
                EngineDisplacement = row.GetDecimal(6),
                PurchasePrice = row.GetDecimal(7),
                AcquiredOn = DateOnly.ParseExact(row.GetString(8), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Source = Enum.Parse<VehicleSource>(row.GetString(9)),
                UnitId = Guid.Parse(row.GetString(10)),
                Status = Enum.Parse<VehicleStatus>(row.GetString(11)),
                OverStandard = row.GetBoolean(12),
                RegisteredAt = DateTime.SpecifyKind(row.GetDateTime(13), DateTimeKind.Utc),
                DisposedAt = row.IsDBNull(14) ? null : DateTime.SpecifyKind(row.GetDateTime(14), DateTimeKind.Utc),
                DisposalReason = row.IsDBNull(15) ? null : row.GetString(15),
                Version = row.GetInt32(16),
                FuelCardNumber = row.IsDBNull(17) ? null : row.GetString(17),
            };
        }

        // EF Core stores a Guid on SQLite as upper-case TEXT.
        private static string Text(Guid value) => value.ToString().ToUpperInvariant();

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}

public static class VehicleReadsRegistration
{
    /// <summary>
    /// The prepared read, made by a factory so that the container owns it and closes its connections when the host
    /// stops. Both connection strings are read now, as EF's options read theirs: on PostgreSQL one pool with EF's.
    /// </summary>
    public static IServiceCollection AddVehicleReads(this IServiceCollection services, IConfiguration config, FleetOptions fleet)
    {
        var (sqlite, postgres) = (Database.SqliteConnectionString(config, fleet), Database.PostgreSqlConnectionString(config));
        return services.AddSingleton(_ => new VehicleReads(sqlite, postgres));
    }
}
