using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Benchmarks;

/// <summary>
/// The anchor for the HTTP rows: the fastest plain way to do the same work on this machine. A minimal ASP.NET Core app
/// with the same HS256 bearer tokens (same key, issuer, audience, algorithm) and role check, no logging, source-generated
/// JSON, and Microsoft.Data.Sqlite commands prepared once:
/// <list type="bullet">
/// <item>GET /api/vehicles/{id}: the same statement and columns as Fleet's reader, serialised as Fleet's answer is.</item>
/// <item>POST /api/spot-checks: the vehicle looked up by id, the spot check inserted and its audit entry (the record as
/// JSON) inserted; writes go through one connection (SQLite has one writer) and are committed in groups, as Fleet's
/// are: the requests waiting when a commit ends go in the next transaction together, each answered after its group
/// committed (FLEET_RAW_COMMIT=each commits every request on its own, the anchor of the README's figures before).</item>
/// </list>
/// It skips what Fleet does beyond that (the account's security stamp, validation messages, problem details, the seal
/// order lookup for a finding, the request log): that is the overhead the ratio measures.
/// </summary>
public static class RawServer
{
    public static async Task RunAsync(string database, int port, string signingKey)
    {
        var jwt = new JwtOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "name",
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RawJson.Default));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        var postgres = PgCopy.IsPostgres(database);
        var connection = postgres ? database : $"Data Source={database}";
        var readers = new ConcurrentBag<IReader>();
        using IWriter writer = postgres ? new RawNpgsql.Writer(connection) : new Writer(connection);
        var writeTurn = new SemaphoreSlim(1, 1);
        var grouped = Environment.GetEnvironmentVariable("FLEET_RAW_COMMIT") != "each";
        var queue = System.Threading.Channels.Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
        if (grouped) _ = Task.Run(() => CommitGroupsAsync(queue.Reader, writer));

        app.MapGet("/health", () => "ok");
        app.MapGet("/api/vehicles/{id:guid}", async (Guid id, ClaimsPrincipal user) =>
        {
            Guid? unit = user.FindFirstValue("role") == "VehicleAdmin" ? Guid.Parse(user.FindFirstValue("unit")!) : null;
            var reader = readers.TryTake(out var r) ? r : postgres ? await RawNpgsql.Reader.OpenAsync(connection) : new Reader(connection);
            try
            {
                return await reader.FindAsync(id, unit) is { } vehicle ? Results.Ok(vehicle) : Results.NotFound();
            }
            finally
            {
                readers.Add(reader);
            }
        }).RequireAuthorization();
        app.MapPost("/api/spot-checks", async (RawSpotCheckRequest body, ClaimsPrincipal user) =>
        {
            if (body.VehicleId is not { } vehicleId || body.CheckedAt is not { } checkedAt || string.IsNullOrWhiteSpace(body.Location) || body.Finding is null)
                return Results.BadRequest();
            var pending = new Pending(vehicleId, checkedAt.ToUniversalTime(), body.Location.Trim(), body.Finding, body.Notes, user.FindFirstValue("name")!);
            if (postgres)
            {
                var reader = readers.TryTake(out var r) ? r : await RawNpgsql.Reader.OpenAsync(connection);
                try
                {
                    pending = pending with { Vehicle = await RawNpgsql.PlateAsync((RawNpgsql.Reader)reader, vehicleId) };
                }
                finally
                {
                    readers.Add(reader);
                }
            }
            RawSpotCheck? check;
            if (grouped)
            {
                queue.Writer.TryWrite(pending);
                check = await pending.Done.Task;
            }
            else
            {
                await writeTurn.WaitAsync();
                try
                {
                    writer.Begin();
                    check = await writer.RecordAsync(pending);
                    await writer.CommitAsync();
                }
                finally
                {
                    writeTurn.Release();
                }
            }
            return check is null ? Results.BadRequest() : Results.Created($"/api/spot-checks/{check.Id}", check);
        }).RequireAuthorization(p => p.RequireRole("Inspector"));
        await app.RunAsync();
    }

    internal interface IReader
    {
        ValueTask<RawVehicle?> FindAsync(Guid vehicleId, Guid? unitId);
    }

    /// <summary>One connection: a transaction begun, checks recorded in it, committed.</summary>
    internal interface IWriter : IDisposable
    {
        void Begin();

        ValueTask<RawSpotCheck?> RecordAsync(Pending request);

        ValueTask CommitAsync();

        void Rollback();
    }

    /// <param name="Vehicle">On PostgreSQL, the vehicle's plate and unit as read in the request (null: no such vehicle).</param>
    internal sealed record Pending(Guid VehicleId, DateTime CheckedAt, string Location, string Finding, string? Notes, string By, (string Plate, Guid Unit)? Vehicle = null)
    {
        public TaskCompletionSource<RawSpotCheck?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The group commit: every request waiting when the last commit ended, in one transaction (at most 512).</summary>
    private static async Task CommitGroupsAsync(System.Threading.Channels.ChannelReader<Pending> queue, IWriter writer)
    {
        var group = new List<(Pending Request, RawSpotCheck? Check)>(512);
        while (await queue.WaitToReadAsync())
        {
            group.Clear();
            try
            {
                writer.Begin();
                while (group.Count < 512 && queue.TryRead(out var request)) group.Add((request, await writer.RecordAsync(request)));
                await writer.CommitAsync();
                foreach (var (request, check) in group) request.Done.TrySetResult(check);
            }
            catch (Exception e)
            {
                writer.Rollback();
                foreach (var (request, _) in group) request.Done.TrySetException(e);
            }
        }
    }

    internal static string Text(Guid value) => value.ToString().ToUpperInvariant();

    private static string Stamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private sealed class Reader : IReader
    {
        private readonly SqliteCommand command;
        private readonly SqliteParameter id;
        private readonly SqliteParameter unit;

        public Reader(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            command = connection.CreateCommand();
            command.CommandText = """
                SELECT "Id", "PlateNumber", "Vin", "Make", "Model", "Category", "EngineDisplacement", "PurchasePrice", "AcquiredOn",
                       "Source", "UnitId", "Status", "OverStandard", "RegisteredAt", "DisposedAt", "DisposalReason", "Version"
                FROM "Vehicles" WHERE "Id" = $id AND ($unit IS NULL OR "UnitId" = $unit)
                """;
            id = command.Parameters.Add("$id", SqliteType.Text);
            unit = command.Parameters.Add("$unit", SqliteType.Text);
            command.Prepare();
        }

        public ValueTask<RawVehicle?> FindAsync(Guid vehicleId, Guid? unitId) => ValueTask.FromResult(Find(vehicleId, unitId));

        private RawVehicle? Find(Guid vehicleId, Guid? unitId)
        {
            id.Value = Text(vehicleId);
            unit.Value = unitId is { } u ? Text(u) : DBNull.Value;
            using var row = command.ExecuteReader(CommandBehavior.SingleRow);
            if (!row.Read()) return null;
            return new RawVehicle(Guid.Parse(row.GetString(0)), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4),
                row.GetString(5), row.GetDecimal(6), row.GetDecimal(7), DateOnly.ParseExact(row.GetString(8), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                row.GetString(9), Guid.Parse(row.GetString(10)), row.GetString(11), row.GetBoolean(12),
                DateTime.SpecifyKind(row.GetDateTime(13), DateTimeKind.Utc),
                row.IsDBNull(14) ? null : DateTime.SpecifyKind(row.GetDateTime(14), DateTimeKind.Utc),
                row.IsDBNull(15) ? null : row.GetString(15), row.GetInt32(16));
        }
    }

    /// <summary>One connection, three statements prepared once: look the vehicle up, insert the check, insert its audit entry.</summary>
    private sealed class Writer : IWriter
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand vehicle, check, audit;
        private SqliteTransaction? transaction;

        public Writer(string connectionString)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
                pragma.ExecuteNonQuery();
            }
            vehicle = Prepare("""SELECT "PlateNumber", "UnitId" FROM "Vehicles" WHERE "Id" = $id""", "$id");
            check = Prepare("""
                INSERT INTO "SpotChecks" ("Id", "VehicleId", "PlateNumber", "UnitId", "CheckedAt", "Location", "Finding", "Notes", "RecordedAt", "RecordedBy")
                VALUES ($id, $vehicle, $plate, $unit, $checked, $location, $finding, $notes, $recorded, $by)
                """, "$id", "$vehicle", "$plate", "$unit", "$checked", "$location", "$finding", "$notes", "$recorded", "$by");
            audit = Prepare("""
                INSERT INTO "AuditEntries" ("At", "Actor", "Entity", "EntityId", "Action", "After", "UnitId") VALUES ($at, $actor, 'SpotCheck', $entity, 'Create', $after, $unit)
                """, "$at", "$actor", "$entity", "$after", "$unit");
        }

        private SqliteCommand Prepare(string sql, params string[] names)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in names) command.Parameters.Add(name, SqliteType.Text);
            command.Prepare();
            return command;
        }

        public void Begin()
        {
            transaction = connection.BeginTransaction();
            vehicle.Transaction = check.Transaction = audit.Transaction = transaction;
        }

        public ValueTask CommitAsync()
        {
            transaction!.Commit();
            transaction.Dispose();
            transaction = null;
            return ValueTask.CompletedTask;
        }

        public void Rollback()
        {
            transaction?.Dispose();
            transaction = null;
        }

        public ValueTask<RawSpotCheck?> RecordAsync(Pending request) => ValueTask.FromResult(Record(request));

        /// <summary>Looks the vehicle up and inserts the check and its audit entry, in the transaction begun.</summary>
        private RawSpotCheck? Record(Pending request)
        {
            var (vehicleId, checkedAt, location, finding, notes, by) = (request.VehicleId, request.CheckedAt, request.Location, request.Finding, request.Notes, request.By);
            vehicle.Parameters[0].Value = Text(vehicleId);
            string plate, unit;
            using (var row = vehicle.ExecuteReader(CommandBehavior.SingleRow))
            {
                if (!row.Read()) return null;
                (plate, unit) = (row.GetString(0), row.GetString(1));
            }
            var now = DateTime.UtcNow;
            var result = new RawSpotCheck(Guid.CreateVersion7(), vehicleId, plate, Guid.Parse(unit), checkedAt, location, finding, notes,
                null, null, false, null, now, by);
            var p = check.Parameters;
            p[0].Value = Text(result.Id);
            p[1].Value = Text(vehicleId);
            p[2].Value = plate;
            p[3].Value = unit;
            p[4].Value = Stamp(checkedAt);
            p[5].Value = location;
            p[6].Value = finding;
            p[7].Value = (object?)notes ?? DBNull.Value;
            p[8].Value = Stamp(now);
            p[9].Value = by;
            check.ExecuteNonQuery();
            audit.Parameters[0].Value = Stamp(now);
            audit.Parameters[1].Value = by;
            audit.Parameters[2].Value = result.Id.ToString();
            audit.Parameters[3].Value = JsonSerializer.Serialize(result, RawJson.Default.RawSpotCheck);
            audit.Parameters[4].Value = unit;
            audit.ExecuteNonQuery();
            return result;
        }

        public void Dispose() => connection.Dispose();
    }
}

public sealed record RawVehicle(Guid Id, string PlateNumber, string Vin, string Make, string Model, string Category, decimal EngineDisplacement,
    decimal PurchasePrice, DateOnly AcquiredOn, string Source, Guid UnitId, string Status, bool OverStandard, DateTime RegisteredAt,
    DateTime? DisposedAt, string? DisposalReason, int Version);

public sealed record RawSpotCheckRequest(Guid? VehicleId, string? PlateNumber, Guid? UnitId, DateTime? CheckedAt, string? Location, string? Finding,
    string? Notes, Guid? CorrectsId);

public sealed record RawSpotCheck(Guid Id, Guid? VehicleId, string PlateNumber, Guid UnitId, DateTime CheckedAt, string Location, string Finding,
    string? Notes, Guid? CorrectsId, Guid? CorrectedById, bool Corrected, Guid? ViolationId, DateTime RecordedAt, string RecordedBy);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RawVehicle))]
[JsonSerializable(typeof(RawSpotCheckRequest))]
[JsonSerializable(typeof(RawSpotCheck))]
internal sealed partial class RawJson : JsonSerializerContext;
