using System.Data;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Benchmarks;

/// <summary>
/// <see cref="RawServer"/> on PostgreSQL: plain Npgsql, the fastest way it offers to do the same work. Each reader is a
/// connection of its own held open with its statement prepared on the server once (no pool to return to, nothing to
/// reset); the writer is one connection with its three statements prepared, committing groups as on SQLite.
/// </summary>
internal static class RawNpgsql
{
    private const string VehicleSql = """
        SELECT "Id", "PlateNumber", "Vin", "Make", "Model", "Category", "EngineDisplacement", "PurchasePrice", "AcquiredOn",
               "Source", "UnitId", "Status", "OverStandard", "RegisteredAt", "DisposedAt", "DisposalReason", "Version"
        FROM "Vehicles" WHERE "Id" = $1 AND ($2::uuid IS NULL OR "UnitId" = $2)
        """;

    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    internal sealed class Reader : RawServer.IReader
    {
        private readonly NpgsqlCommand command;

        private Reader(NpgsqlConnection connection)
        {
            command = new NpgsqlCommand(VehicleSql, connection);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
        }

        public static async Task<Reader> OpenAsync(string connectionString)
        {
            var reader = new Reader(Open(connectionString));
            reader.command.Parameters[0].Value = Guid.Empty;
            reader.command.Parameters[1].Value = DBNull.Value;
            await reader.command.PrepareAsync();
            return reader;
        }

        public async ValueTask<RawVehicle?> FindAsync(Guid vehicleId, Guid? unitId)
        {
            command.Parameters[0].Value = vehicleId;
            command.Parameters[1].Value = unitId is { } u ? u : DBNull.Value;
            await using var row = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
            if (!await row.ReadAsync()) return null;
            return new RawVehicle(row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4),
                row.GetString(5), row.GetDecimal(6), row.GetDecimal(7), row.GetFieldValue<DateOnly>(8),
                row.GetString(9), row.GetGuid(10), row.GetString(11), row.GetBoolean(12), row.GetDateTime(13),
                row.IsDBNull(14) ? null : row.GetDateTime(14), row.IsDBNull(15) ? null : row.GetString(15), row.GetInt32(16));
        }
    }

    internal sealed class Writer : RawServer.IWriter
    {
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlCommand vehicle, check, audit;
        private NpgsqlTransaction? transaction;

        public Writer(string connectionString)
        {
            connection = Open(connectionString);
            vehicle = Prepare("""SELECT "PlateNumber", "UnitId" FROM "Vehicles" WHERE "Id" = $1""", NpgsqlDbType.Uuid);
            check = Prepare("""
                INSERT INTO "SpotChecks" ("Id", "VehicleId", "PlateNumber", "UnitId", "CheckedAt", "Location", "Finding", "Notes", "RecordedAt", "RecordedBy")
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Varchar, NpgsqlDbType.Uuid, NpgsqlDbType.TimestampTz, NpgsqlDbType.Varchar,
                NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.TimestampTz, NpgsqlDbType.Varchar);
            audit = Prepare("""
                INSERT INTO "AuditEntries" ("At", "Actor", "Entity", "EntityId", "Action", "After", "UnitId") VALUES ($1, $2, 'SpotCheck', $3, 'Create', $4, $5)
                """, NpgsqlDbType.TimestampTz, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Text, NpgsqlDbType.Uuid);
        }

        private NpgsqlCommand Prepare(string sql, params NpgsqlDbType[] types)
        {
            var command = new NpgsqlCommand(sql, connection);
            foreach (var type in types) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
            command.Prepare();
            return command;
        }

        public void Begin() => transaction = connection.BeginTransaction();

        public async ValueTask CommitAsync()
        {
            await transaction!.CommitAsync();
            await transaction.DisposeAsync();
            transaction = null;
        }

        public void Rollback()
        {
            transaction?.Dispose();
            transaction = null;
        }

        public async ValueTask<RawSpotCheck?> RecordAsync(RawServer.Pending request)
        {
            vehicle.Parameters[0].Value = request.VehicleId;
            string plate;
            Guid unit;
            await using (var row = await vehicle.ExecuteReaderAsync(CommandBehavior.SingleRow))
            {
                if (!await row.ReadAsync()) return null;
                (plate, unit) = (row.GetString(0), row.GetGuid(1));
            }
            var now = DateTime.UtcNow;
            var result = new RawSpotCheck(Guid.CreateVersion7(), request.VehicleId, plate, unit, request.CheckedAt, request.Location, request.Finding,
                request.Notes, null, null, false, null, now, request.By);
            var p = check.Parameters;
            p[0].Value = result.Id;
            p[1].Value = request.VehicleId;
            p[2].Value = plate;
            p[3].Value = unit;
            p[4].Value = request.CheckedAt;
            p[5].Value = request.Location;
            p[6].Value = request.Finding;
            p[7].Value = (object?)request.Notes ?? DBNull.Value;
            p[8].Value = now;
            p[9].Value = request.By;
            await check.ExecuteNonQueryAsync();
            audit.Parameters[0].Value = now;
            audit.Parameters[1].Value = request.By;
            audit.Parameters[2].Value = result.Id.ToString();
            audit.Parameters[3].Value = JsonSerializer.Serialize(result, RawJson.Default.RawSpotCheck);
            audit.Parameters[4].Value = unit;
            await audit.ExecuteNonQueryAsync();
            return result;
        }

        public void Dispose() => connection.Dispose();
    }
}
