using System.Net;
using System.Net.Http.Json;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fleet.Tests;

/// <summary>The PostgreSQL path as a DBA runs it: the script applied (twice), and Fleet refusing a schema that lags.</summary>
public class PostgreSqlTests
{
    private static string On(string database) => FleetFactory.OnPostgres(database);

    [PostgresFact]
    public async Task Fleet_refuses_an_empty_database_naming_the_script_and_starts_once_the_script_is_applied_twice()
    {
        var database = FleetFactory.CreatePostgresDatabase("fleet_script");
        try
        {
            var settings = new Dictionary<string, string?> { ["Database:Provider"] = "PostgreSql", ["ConnectionStrings:Fleet"] = On(database) };
            using (var refused = new FleetFactory(null, settings))
            {
                var error = Assert.ThrowsAny<Exception>(() => refused.CreateClient());
                var messages = string.Join(" | ", FleetFactory.Chain(error).Select(e => e.Message));
                Assert.Contains("db/postgresql/fleet.sql", messages);
            }
            // Nothing was created by the refused start.
            Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));

            var script = await File.ReadAllTextAsync(SchemaTests.PostgreSqlScriptPath);
            for (var i = 0; i < 2; i++)
            {
                await using var connection = new NpgsqlConnection(On(database));
                await connection.OpenAsync();
                await new NpgsqlCommand(script, connection).ExecuteNonQueryAsync();
            }
            using var started = new FleetFactory(null, settings);
            var response = await started.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            FleetFactory.DropPostgresDatabase(database);
        }
    }

    [PostgresFact]
    public Task Two_instances_starting_at_once_on_an_empty_database_both_start_with_one_schema_and_one_admin() =>
        OnEmptyDatabaseAsync("fleet_script", async (database, settings) =>
        {
            using var first = new FleetFactory(null, settings);
            using var second = new FleetFactory(null, settings);
            var clients = await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));
            foreach (var client in clients)
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).StatusCode);
            Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM \"Users\""));
        });

    [Fact]
    public void Fleet_prepares_its_statements_and_skips_the_pool_reset_unless_the_connection_string_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(Fleet.Api.Infrastructure.Database.PostgreSqlConnectionString("Host=db;Database=fleet;Username=fleet"));
        Assert.Equal(64, defaults.MaxAutoPrepare);
        Assert.True(defaults.NoResetOnClose);
        Assert.Equal("fleet", defaults.Database);
        var given = new NpgsqlConnectionStringBuilder(Fleet.Api.Infrastructure.Database.PostgreSqlConnectionString("Host=db;Database=fleet;No Reset On Close=false;MaxAutoPrepare=0"));
        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.False(given.NoResetOnClose);
    }

    [PostgresFact]
    public Task A_read_repeated_runs_as_a_statement_prepared_on_its_connection() =>
        OnEmptyDatabaseAsync("fleet_prepared", async (_, settings) =>
        {
            using var factory = new FleetFactory(null, settings);
            var admin = factory.CreateClient();
            var token = await (await admin.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
            admin.DefaultRequestHeaders.Authorization = new("Bearer", (string)token!["accessToken"]!);
            // Prepared after five uses on a connection; the pool hands its idle connections out in turn, so enough reads
            // that each of a few connections has had five.
            for (var i = 0; i < 25; i++) Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/vehicles/{Guid.NewGuid()}")).StatusCode);
            // The host's own pool: the connection the next query gets holds the vehicle read prepared.
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Fleet.Data.FleetDbContext>();
            var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
            Assert.Contains(prepared, s => s.Contains("FROM \"Vehicles\"", StringComparison.Ordinal));
        });

    /// <summary>A fresh database, dropped afterwards, and the settings of a Fleet that migrates it at start.</summary>
    private static async Task OnEmptyDatabaseAsync(string name, Func<string, Dictionary<string, string?>, Task> test)
    {
        var database = FleetFactory.CreatePostgresDatabase(name);
        try
        {
            await test(database, new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Fleet"] = On(database),
                ["Database:MigrateOnStart"] = "true",
            });
        }
        finally
        {
            FleetFactory.DropPostgresDatabase(database);
        }
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(On(database));
        await connection.OpenAsync();
        return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync());
    }

}
