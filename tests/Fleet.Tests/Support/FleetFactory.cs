using Fleet.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Tests.Support;

/// <summary>
/// The real Fleet host over a real SQLite file with the real migrations, in a data directory of its own,
/// with a fake clock. Demo data is off unless a test asks for it. With <c>FLEET_TEST_POSTGRES</c> set (a connection
/// string to a PostgreSQL server, as .ci/run sets it), each host gets a database of its own on that server instead,
/// made by the real migrations and dropped at the end; a test that is about SQLite names its provider.
/// </summary>
public class FleetFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "tests-only-Kq7-boot-pw";
    public static readonly DateTimeOffset Start = new(2027, 1, 10, 2, 0, 0, TimeSpan.Zero);

    public string DataDirectory { get; }
    public FakeTimeProvider Clock { get; } = new(Start);
    private readonly Dictionary<string, string?> settings;

    public FleetFactory() : this(null) { }

    public FleetFactory(string? dataDirectory, Dictionary<string, string?>? overrides = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        settings = new()
        {
            ["Fleet:DataDirectory"] = DataDirectory,
            ["Fleet:AdminPassword"] = AdminPassword,
            ["Fleet:Seed:Demo"] = "false",
            ["Fleet:Jwt:SigningKey"] = "a-signing-key-for-tests-only-0123456789abcdef",
            // Tests run jobs themselves, on the fake clock; no Hangfire server polls in the background.
            ["Fleet:Jobs:RunServer"] = "false",
        };
        if (Postgres is { } server && !(overrides?.ContainsKey("Database:Provider") ?? false))
        {
            PostgresDatabase = CreatePostgresDatabase("fleet_test");
            settings["Database:Provider"] = "PostgreSql";
            settings["ConnectionStrings:Fleet"] = OnPostgres(PostgresDatabase);
            settings["Database:MigrateOnStart"] = "true";
        }
        foreach (var (key, value) in overrides ?? []) settings[key] = value;
    }

    /// <summary>Settings for a test about the embedded default itself (its files, its lock): SQLite on any run.</summary>
    public static Dictionary<string, string?> Embedded => new() { ["Database:Provider"] = "Sqlite" };

    /// <summary>The PostgreSQL server the tests run on, when they do (FLEET_TEST_POSTGRES); null on the embedded default.</summary>
    public static string? Postgres { get; } = Environment.GetEnvironmentVariable("FLEET_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>A new, empty database on <see cref="Postgres"/>: its name.</summary>
    public static string CreatePostgresDatabase(string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N");
        using var connection = new Npgsql.NpgsqlConnection(Postgres);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = $"CREATE DATABASE {name}";
        create.ExecuteNonQuery();
        return name;
    }

    /// <summary>Drops a database on <see cref="Postgres"/>, closing what is still connected to it.</summary>
    public static void DropPostgresDatabase(string name)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        using var connection = new Npgsql.NpgsqlConnection(Postgres);
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        drop.ExecuteNonQuery();
    }

    /// <summary>The connection string of a database on <see cref="Postgres"/>.</summary>
    public static string OnPostgres(string database) => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;

    /// <summary>An exception and every inner one, outermost first: to find a start-up refusal's message.</summary>
    public static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    /// <summary>This host's database on <see cref="Postgres"/>, if it has one.</summary>
    public string? PostgresDatabase { get; }

    /// <summary>The settings this host starts with (its provider and connection string among them).</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(new Fleet.Api.Infrastructure.HostClock(Clock));
            services.AddSingleton<Fleet.Api.Features.SealUp.IReminderSender>(Outbox);
        });
    }

    /// <summary>Leaves no database behind in the temporary folder (a test that reopens the directory keeps it until its own end).</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || KeepData) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (PostgresDatabase is not null) DropPostgresDatabase(PostgresDatabase);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Another factory may still hold a file here; the OS temp cleaner takes what is left.
        }
    }

    /// <summary>Set by a test that starts a second Fleet on the same data directory.</summary>
    public bool KeepData { get; set; }

    /// <summary>Every reminder the jobs delivered, in order.</summary>
    public RecordingSender Outbox { get; } = new();

    /// <summary>Runs a job as Hangfire would: in a scope of its own.</summary>
    public async Task Run<TJob>(Func<TJob, Task> run) where TJob : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    public Task RunSealUpReconcile() => Run<Fleet.Api.Features.SealUp.SealUpReconcile>(j => j.RunAsync(CancellationToken.None));

    public Task RunReportArchive() => Run<Fleet.Api.Features.Reports.ReportArchive>(j => j.RunAsync(CancellationToken.None));

    public Task RunHolidayReminders() => Run<Fleet.Api.Features.SealUp.HolidayReminders>(j => j.RunAsync(CancellationToken.None));

    /// <summary>Reads the database directly, to assert what was (or was not) written.</summary>
    public async Task<T> Db<T>(Func<FleetDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<FleetDbContext>());
    }

    /// <summary>A fingerprint of everything written: row counts of every table that a request could touch.</summary>
    public Task<string> WrittenState() => Db(async db =>
        string.Join(",", await db.AuditEntries.CountAsync(), await db.Units.CountAsync(), await db.Users.CountAsync(),
            await db.Vehicles.CountAsync(), await db.Violations.CountAsync(), await db.Vehicles.SumAsync(v => v.Version),
            await db.Units.SumAsync(u => u.Version), await db.Holidays.CountAsync(), await db.SealUpSchedules.CountAsync(),
            await db.SealOrders.CountAsync(), await db.SealOrders.SumAsync(o => o.Version), await db.Exemptions.CountAsync(),
            await db.Exemptions.SumAsync(e => e.Version), await db.Reminders.CountAsync(), await db.SpotChecks.CountAsync(),
            await db.Violations.SumAsync(v => v.Version), await db.PersonActions.CountAsync(), await db.Campaigns.CountAsync(),
            await db.RecoveryCases.CountAsync(), await db.RecoveryCases.SumAsync(r => r.Version), await db.ArchivedReports.CountAsync()));
}

public sealed class RecordingSender : Fleet.Api.Features.SealUp.IReminderSender
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Fleet.Data.Entities.Reminder> sent = new();

    public IReadOnlyList<Fleet.Data.Entities.Reminder> Sent => [.. sent];

    /// <summary>While set, the channel is down: every send throws.</summary>
    public bool Down { get; set; }

    public string Channel => "test";

    public IEnumerable<string> Recipients(Fleet.Data.Entities.Reminder reminder, IReadOnlyList<Fleet.Api.Features.SealUp.UnitAdmin> admins) => ["outbox"];

    public Task SendAsync(Fleet.Data.Entities.Reminder reminder, string recipient, IReadOnlyList<Fleet.Api.Features.SealUp.UnitAdmin> admins, CancellationToken ct)
    {
        if (Down) throw new HttpRequestException("SMS gateway unreachable");
        sent.Enqueue(reminder);
        return Task.CompletedTask;
    }
}
