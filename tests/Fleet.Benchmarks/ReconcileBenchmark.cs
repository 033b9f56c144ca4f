using System.Diagnostics;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Auditing;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fleet.Benchmarks;

/// <summary>
/// `sealup-reconcile` at the deadline over every pending order of the generated schedule, against a naive loop over
/// tracked entities doing the same work (overdue, one violation each, audit entries), on a sample, in the same run.
/// Each runs on a fresh copy of the database.
/// </summary>
public static class ReconcileBenchmark
{
    private static readonly Guid Schedule = Guid.Parse("00000000-0000-0000-0000-0000000000B2");
    private static readonly DateTimeOffset AfterDeadline = new(2027, 2, 4, 10, 1, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Actor(string name) : IAuditActor
    {
        public string Name => name;
    }

    public static FleetDbContext Open(string path, TimeProvider clock, string actor, Capture? capture = null) => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseSqlite($"Data Source={path}")
        .AddInterceptors([new AuditInterceptor(new Actor(actor), clock), new SqliteConnections(), .. capture is null ? Array.Empty<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>() : [capture]])
        .Options);

    /// <summary>Every command the job sends, with its parameters' values: the job's own SQL.</summary>
    public sealed class Capture : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value, Microsoft.Data.Sqlite.SqliteType Type)> Parameters)> Statements { get; } = [];

        private void Add(System.Data.Common.DbCommand command) => Statements.Add((command.CommandText,
            command.Parameters.Cast<Microsoft.Data.Sqlite.SqliteParameter>().Select(p => (p.ParameterName, p.Value, p.SqliteType)).ToList()));

        public override System.Data.Common.DbDataReader ReaderExecuted(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, System.Data.Common.DbDataReader result) { Add(command); return result; }

        public override ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, System.Data.Common.DbDataReader result, CancellationToken cancellationToken = default) { Add(command); return ValueTask.FromResult(result); }

        public override int NonQueryExecuted(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, int result) { Add(command); return result; }

        public override ValueTask<int> NonQueryExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) { Add(command); return ValueTask.FromResult(result); }

        public override object? ScalarExecuted(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, object? result) { Add(command); return result; }

        public override ValueTask<object?> ScalarExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) { Add(command); return ValueTask.FromResult(result); }
    }

    /// <summary>
    /// The anchor: the job's own statements (captured from a run on a smaller copy with the same schedule), run with a
    /// plain Microsoft.Data.Sqlite connection (the same SQLite library; the Debian sqlite3 shell predates CONCAT) on a
    /// fresh copy, in one transaction with the job's cache size. Nothing of EF or the job runs. Returns the wall time.
    /// </summary>
    public static Task<double> OwnSqlAsync(string database, Capture captured)
    {
        var copy = Copy(database, "own-sql");
        try
        {
            var watch = Stopwatch.StartNew();
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy}");
            connection.Open();
            SqliteConnections.Apply(connection);
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA cache_size=-1048576;";
                pragma.ExecuteNonQuery();
            }
            using var transaction = connection.BeginTransaction();
            foreach (var (sql, parameters) in captured.Statements.Where(s => !s.Sql.Contains("PRAGMA", StringComparison.OrdinalIgnoreCase)))
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var (name, value, type) in parameters) command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter(name, type) { Value = value });
                using var reader = command.ExecuteReader();
                while (reader.Read()) { }
            }
            transaction.Commit();
            return Task.FromResult(watch.Elapsed.TotalSeconds);
        }
        finally
        {
            Delete(copy);
        }
    }

    /// <summary>The deployment's root region, as the host reads it at start.</summary>
    private static async Task<Fleet.Api.Infrastructure.RootRegion> RootAsync(FleetDbContext db)
    {
        var root = new Fleet.Api.Infrastructure.RootRegion();
        root.Set(await db.Regions.SingleAsync(r => r.ParentId == null));
        return root;
    }

    /// <summary>Runs the job once on a copy with every command captured.</summary>
    public static async Task<Capture> CaptureAsync(string database)
    {
        var copy = Copy(database, "capture");
        try
        {
            var clock = new FixedClock(AfterDeadline);
            var capture = new Capture();
            await using var db = Open(copy, clock, "job:" + SealUpReconcile.Id, capture);
            var job = new SealUpReconcile(db, new SealOrderSets(db, new Actor("job:" + SealUpReconcile.Id), new Fleet.Api.Infrastructure.ScopeClock(new Fleet.Api.Infrastructure.HostClock(clock)), await RootAsync(db)), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<SealUpReconcile>.Instance);
            await job.RunAsync(CancellationToken.None);
            return capture;
        }
        finally
        {
            Delete(copy);
        }
    }

    public static async Task<ReportBenchmark.Figure> FleetAsync(string database)
    {
        var copy = Copy(database, "reconcile");
        var clock = new FixedClock(AfterDeadline);
        await using var db = Open(copy, clock, "job:" + SealUpReconcile.Id);
        var pending = await db.SealOrders.LongCountAsync(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Pending);
        var job = new SealUpReconcile(db, new SealOrderSets(db, new Actor("job:" + SealUpReconcile.Id), new Fleet.Api.Infrastructure.ScopeClock(new Fleet.Api.Infrastructure.HostClock(clock)), await RootAsync(db)), clock, Microsoft.Extensions.Logging.LoggerFactory.Create(l => l.AddSimpleConsole()).CreateLogger<SealUpReconcile>());
        var watch = Stopwatch.StartNew();
        await job.RunAsync(CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var overdue = await db.SealOrders.LongCountAsync(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Overdue);
        var violations = await db.Violations.LongCountAsync(v => v.Type == ViolationType.SealDeadlineMissed);
        if (overdue != pending || violations != pending) throw new InvalidOperationException($"reconcile left {overdue} overdue, {violations} violations of {pending}");
        Delete(copy);
        return new ReportBenchmark.Figure(seconds, Measure.PeakMb(Environment.ProcessId), pending, 0);
    }

    /// <summary>The naive way: load pending orders as tracked entities, change each, add its violation, save in batches of 1,000.</summary>
    public static async Task<ReportBenchmark.Figure> NaiveAsync(string database, int sample)
    {
        var copy = Copy(database, "naive");
        var clock = new FixedClock(AfterDeadline);
        await using var db = Open(copy, clock, "naive");
        var schedule = await db.SealUpSchedules.SingleAsync(s => s.Id == Schedule);
        var watch = Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var orders = await db.SealOrders.Where(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Pending).Take(sample).ToListAsync();
        var done = 0;
        foreach (var order in orders)
        {
            order.Status = SealOrderStatus.Overdue;
            order.OverdueAt = schedule.SealDeadline;
            var plate = await db.Vehicles.Where(v => v.Id == order.VehicleId).Select(v => v.PlateNumber).SingleAsync();
            var key = $"SealUpJob:{order.Id}";
            if (!await db.Violations.AnyAsync(v => v.DedupKey == key))
                db.Violations.Add(new Violation
                {
                    Type = ViolationType.SealDeadlineMissed,
                    VehicleId = order.VehicleId,
                    PlateNumber = plate,
                    UnitId = order.UnitId,
                    DetectedAt = schedule.SealDeadline,
                    Source = ViolationSource.SealUpJob,
                    SourceId = order.Id,
                    DedupKey = key,
                    Status = ViolationStatus.Open,
                });
            if (++done % 1000 == 0) await db.SaveChangesAsync();
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        Delete(copy);
        return new ReportBenchmark.Figure(seconds, Measure.PeakMb(Environment.ProcessId), orders.Count, 0);
    }

    public static string Copy(string database, string what)
    {
        if (PgCopy.IsPostgres(database)) return PgCopy.CopyDatabase(database, what);
        var copy = Path.Combine(Path.GetDirectoryName(database)!, $"fleet-{what}-{Guid.NewGuid():N}.db");
        File.Copy(database, copy);
        return copy;
    }

    public static void Delete(string path)
    {
        if (PgCopy.IsPostgres(path))
        {
            PgCopy.DropDatabase(path);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }
}
