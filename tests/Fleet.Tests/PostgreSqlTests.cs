using System.Net;
using System.Net.Http.Json;
using Fleet.Tests.Support;
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
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_start_with_one_schema_and_one_admin()
    {
        var database = FleetFactory.CreatePostgresDatabase("fleet_script");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Fleet"] = On(database),
                ["Database:MigrateOnStart"] = "true",
            };
            using var first = new FleetFactory(null, settings);
            using var second = new FleetFactory(null, settings);
            var clients = await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));
            foreach (var client in clients)
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).StatusCode);
            Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM \"Users\""));
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
