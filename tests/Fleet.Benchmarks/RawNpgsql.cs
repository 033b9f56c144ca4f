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

    /// <summary>The vehicle's plate and unit, read in the request (as Fleet reads it), by a held reader.</summary>
    internal static async Task<(string Plate, Guid Unit)?> PlateAsync(Reader reader, Guid vehicleId) =>
        await reader.FindAsync(vehicleId, null) is { } v ? (v.PlateNumber, v.UnitId) : null;

    /// <summary>
    /// One connection; a group's inserts go to the server as one batch (one round trip, the statements prepared by
    /// Npgsql's auto-prepare), then the commit: two round trips a group, whatever its size.
    /// </summary>
    internal sealed class Writer : RawServer.IWriter
    {
        private const string CheckSql = """
            INSERT INTO "SpotChecks" ("Id", "VehicleId", "PlateNumber", "UnitId", "CheckedAt", "Location", "Finding", "Notes", "RecordedAt", "RecordedBy")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """;

        private const string AuditSql = """
            INSERT INTO "AuditEntries" ("At", "Actor", "Entity", "EntityId", "Action", "After", "UnitId") VALUES ($1, $2, 'SpotCheck', $3, 'Create', $4, $5)
            """;

        private readonly NpgsqlConnection connection;
        private NpgsqlTransaction? transaction;
        private NpgsqlBatch? batch;

        public Writer(string connectionString) =>
            connection = Open(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 8, AutoPrepareMinUsages = 1 }.ConnectionString);

        public void Begin()
        {
            transaction = connection.BeginTransaction();
            batch = new NpgsqlBatch(connection, transaction);
        }

        public async ValueTask CommitAsync()
        {
            if (batch!.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync();
            await transaction!.CommitAsync();
            Rollback();
        }

        public void Rollback()
        {
            batch?.Dispose();
            transaction?.Dispose();
            (batch, transaction) = (null, null);
        }

        public ValueTask<RawSpotCheck?> RecordAsync(RawServer.Pending request)
        {
            if (request.Vehicle is not { } vehicle) return ValueTask.FromResult<RawSpotCheck?>(null);
            var now = DateTime.UtcNow;
            var result = new RawSpotCheck(Guid.CreateVersion7(), request.VehicleId, vehicle.Plate, vehicle.Unit, request.CheckedAt, request.Location, request.Finding,
                request.Notes, null, null, false, null, now, request.By);
            var check = new NpgsqlBatchCommand(CheckSql);
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = result.Id });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = request.VehicleId });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = vehicle.Plate });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = vehicle.Unit });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = request.CheckedAt });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = request.Location });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = request.Finding });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)request.Notes ?? DBNull.Value });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = now });
            check.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = request.By });
            var audit = new NpgsqlBatchCommand(AuditSql);
            audit.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = now });
            audit.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = request.By });
            audit.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = result.Id.ToString() });
            audit.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = JsonSerializer.Serialize(result, RawJson.Default.RawSpotCheck) });
            audit.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = vehicle.Unit });
            batch!.BatchCommands.Add(check);
            batch.BatchCommands.Add(audit);
            return ValueTask.FromResult<RawSpotCheck?>(result);
        }

        public void Dispose() => connection.Dispose();
    }
}
