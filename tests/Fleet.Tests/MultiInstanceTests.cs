using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Npgsql;

namespace Fleet.Tests;

/// <summary>A test that needs a real PostgreSQL server: it runs in the PostgreSQL pass of .ci/run (FLEET_TEST_POSTGRES).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (FleetFactory.Postgres is null) Skip = "Needs a PostgreSQL server: set FLEET_TEST_POSTGRES (.ci/run does).";
    }
}

/// <summary>
/// Two real Fleet processes (the built Fleet.Api.dll, each in a process of its own, each with its own data directory)
/// on one PostgreSQL database with one signing key, both running the recurring jobs.
/// </summary>
public class MultiInstanceTests
{
    private const string Key = "a-shared-signing-key-for-two-instances-0123456789";

    /// <summary>A Fleet process on the PostgreSQL database, migrating it at start or not.</summary>
    private static FleetProcess Instance(string connectionString, bool migrate) => Instance(new()
    {
        ["Database__Provider"] = "PostgreSql",
        ["ConnectionStrings__Fleet"] = connectionString,
        ["Database__MigrateOnStart"] = migrate ? "true" : "false",
    });

    /// <summary>A Fleet process sharing the signing key and running the recurring jobs every minute.</summary>
    private static FleetProcess Instance(Dictionary<string, string> settings)
    {
        settings.TryAdd("Fleet__Jwt__SigningKey", Key);
        settings.TryAdd("Fleet__Jobs__RunServer", "true");
        settings.TryAdd("Fleet__Jobs__SealUpReconcileCron", "* * * * *");
        settings.TryAdd("Fleet__Jobs__QueuePollSeconds", "1");
        return new FleetProcess(settings);
    }

    private static async Task<JsonNode> Send(HttpClient http, HttpMethod method, string url, object? body, string? token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Client.Json);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Put) request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<string> SignIn(HttpClient http, string username, string password) =>
        (string)(await Send(http, HttpMethod.Post, "/api/auth/token", new { username, password }, null, HttpStatusCode.OK))["accessToken"]!;

    private static async Task<long> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_real_process_logs_one_line_per_request_in_the_standard_console_format_within_a_second()
    {
        await using var fleet = Instance(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Fleet__DataDirectory"] = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N")),
            ["Fleet__Jobs__RunServer"] = "false",
        });
        await fleet.ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await fleet.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fleet.Http.PostAsync("/api/auth/token", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fleet.Http.GetAsync("/api/vehicles")).StatusCode);
        // The lines come in batches, at most 200 ms apart.
        for (var i = 0; i < 20 && !fleet.Log.Contains("/api/vehicles responded", StringComparison.Ordinal); i++) await Task.Delay(100);
        var lines = fleet.Log.Split('\n');
        int At(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        var health = At("HTTP GET /health responded 200 in");
        var missing = At("HTTP POST /api/auth/token responded 400 in");
        var refused = At("HTTP GET /api/vehicles responded 401 in");
        Assert.True(health > 0 && missing > health && refused > missing, fleet.Log);
        // The standard console format: "info: category[event id]", then the message indented on the next line.
        Assert.Equal("info: Fleet.Requests[1]", lines[refused - 1].Trim());
        Assert.StartsWith("      HTTP GET /api/vehicles responded 401 in ", lines[refused], StringComparison.Ordinal);
        Assert.EndsWith(" ms for anonymous", lines[refused].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_fleet_process_on_an_embedded_data_directory_in_use_is_refused_at_start_naming_what_to_do()
    {
        using var first = new FleetFactory(null, FleetFactory.Embedded);
        first.CreateClient();
        await using var second = Instance(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Fleet__DataDirectory"] = first.DataDirectory,
        });
        Assert.NotEqual(0, await second.ExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("Another Fleet process is using the data directory", second.Log);
        // The first goes on, its database untouched by the refused start.
        Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/health")).StatusCode);
    }

    [PostgresFact]
    public async Task Two_processes_on_one_database_share_tokens_throttling_deactivation_and_run_each_job_once()
    {
        var database = FleetFactory.CreatePostgresDatabase("fleet_multi");
        var connectionString = FleetFactory.OnPostgres(database);
        try
        {
            await using var a = Instance(connectionString, migrate: true);
            await a.ReadyAsync();
            // The second starts on the schema the first migrated, without migrating (the servers' default).
            await using var b = Instance(connectionString, migrate: false);
            await b.ReadyAsync();

            // A token from one is accepted by the other.
            var admin = await SignIn(a.Http, "admin", FleetFactory.AdminPassword);
            Assert.Equal("admin", (string)(await Send(b.Http, HttpMethod.Get, "/api/me", null, admin, HttpStatusCode.OK))["username"]!);

            // Sign-in throttling counts failures on both: three wrong passwords on one and two on the other, then the right one is refused.
            await Send(a.Http, HttpMethod.Post, "/api/users", new { username = "inspector2", password = "Multi-instance-2027", role = "Inspector" }, admin, HttpStatusCode.Created);
            for (var i = 0; i < 5; i++)
                await Send(i % 2 == 0 ? a.Http : b.Http, HttpMethod.Post, "/api/auth/token", new { username = "inspector2", password = "wrong-password-" + i }, null, HttpStatusCode.Unauthorized);
            await Send(a.Http, HttpMethod.Post, "/api/auth/token", new { username = "inspector2", password = "Multi-instance-2027" }, null, HttpStatusCode.TooManyRequests);

            // A user deactivated on one is refused on the other within the time an instance remembers an account's stamp
            // (AccountStamps.Lifetime, 30 s, as the README says); on the instance that made the change, at once.
            var user = await Send(a.Http, HttpMethod.Post, "/api/users", new { username = "auditor2", password = "Multi-instance-2028", role = "Auditor" }, admin, HttpStatusCode.Created);
            var auditor = await SignIn(b.Http, "auditor2", "Multi-instance-2028");
            await Send(b.Http, HttpMethod.Get, "/api/me", null, auditor, HttpStatusCode.OK);
            await Send(a.Http, HttpMethod.Get, "/api/me", null, auditor, HttpStatusCode.OK);
            await Send(a.Http, HttpMethod.Put, $"/api/users/{user["id"]}", new { displayName = "审计", phone = (string?)null, role = "Auditor", unitId = (Guid?)null, active = false }, admin, HttpStatusCode.OK);
            var deactivated = Stopwatch.StartNew();
            await Send(a.Http, HttpMethod.Get, "/api/me", null, auditor, HttpStatusCode.Unauthorized);
            var lifetime = Fleet.Api.Features.Users.AccountStamps.Lifetime;
            while (deactivated.Elapsed < lifetime + TimeSpan.FromSeconds(5))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", auditor) } };
                if ((await b.Http.SendAsync(request)).StatusCode == HttpStatusCode.Unauthorized) break;
                await Task.Delay(1000);
            }
            Assert.True(deactivated.Elapsed <= lifetime + TimeSpan.FromSeconds(5), $"still accepted on the other instance after {deactivated.Elapsed}");
            await Send(b.Http, HttpMethod.Get, "/api/me", null, auditor, HttpStatusCode.Unauthorized);

            // A schedule published on one, with six cars, its deadline then passed (set in the database: the processes
            // run on the real clock). Both instances run the reconcile job, on its schedule and asked for on each.
            var unit = await Send(b.Http, HttpMethod.Post, "/api/units", new { code = "M01", name = "区多实例局", kind = "Department", vehicleQuota = 10 }, admin, HttpStatusCode.Created);
            for (var i = 0; i < 6; i++)
                await Send(i % 2 == 0 ? a.Http : b.Http, HttpMethod.Post, "/api/vehicles", Make.Vehicle(Make.Id(unit)), admin, HttpStatusCode.Created);
            var firstDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);
            var holiday = await Send(a.Http, HttpMethod.Post, "/api/holidays", new { name = "国庆节", firstDay, lastDay = firstDay.AddDays(2) }, admin, HttpStatusCode.Created);
            var schedule = await Send(b.Http, HttpMethod.Post, "/api/sealup-schedules", new { holidayId = Make.Id(holiday), unitIds = new[] { Make.Id(unit) } }, admin, HttpStatusCode.Created);
            var scheduleId = Make.Id(schedule);
            await Scalar(connectionString, $"UPDATE \"SealUpSchedules\" SET \"SealDeadline\" = now() - interval '1 hour', \"Status\" = 'Published' WHERE \"Id\" = '{scheduleId}'; SELECT 1");

            var enqueued = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                enqueued.Add((string)(await Send(a.Http, HttpMethod.Post, "/api/jobs/sealup-reconcile/run", null, admin, HttpStatusCode.Accepted))["jobId"]!);
                enqueued.Add((string)(await Send(b.Http, HttpMethod.Post, "/api/jobs/sealup-reconcile/run", null, admin, HttpStatusCode.Accepted))["jobId"]!);
            }
            // Wait for every job asked for to finish, on whichever instance took it.
            var ids = string.Join(",", enqueued);
            for (var i = 0; i < 120 && await Scalar(connectionString, $"SELECT count(*) FROM hangfire.job WHERE id IN ({ids}) AND statename = 'Succeeded'") < enqueued.Count; i++)
                await Task.Delay(500);
            Assert.Equal(enqueued.Count, await Scalar(connectionString, $"SELECT count(*) FROM hangfire.job WHERE id IN ({ids}) AND statename = 'Succeeded'"));
            // Each run recorded once: one Processing and one Succeeded state per job, never taken twice.
            Assert.Equal(enqueued.Count, await Scalar(connectionString, $"SELECT count(*) FROM hangfire.state WHERE jobid IN ({ids}) AND name = 'Succeeded'"));
            Assert.Equal(enqueued.Count, await Scalar(connectionString, $"SELECT count(*) FROM hangfire.state WHERE jobid IN ({ids}) AND name = 'Processing'"));

            // Exactly once, whatever ran when: six orders, six overdue marks, six violations, one audit entry for each.
            var where = $"\"ScheduleId\" = '{scheduleId}'";
            Assert.Equal(6, await Scalar(connectionString, $"SELECT count(*) FROM \"SealOrders\" WHERE {where}"));
            Assert.Equal(6, await Scalar(connectionString, $"SELECT count(*) FROM \"SealOrders\" WHERE {where} AND \"Status\" = 'Overdue'"));
            Assert.Equal(6, await Scalar(connectionString, $"SELECT count(*) FROM \"Violations\" WHERE \"Type\" = 'SealDeadlineMissed' AND \"Id\" IN (SELECT \"Id\" FROM \"SealOrders\" WHERE {where})"));
            Assert.Equal(6, await Scalar(connectionString, "SELECT count(*) FROM \"AuditEntries\" WHERE \"Entity\" = 'SealOrder' AND \"Action\" = 'Overdue'"));
            Assert.Equal(6, await Scalar(connectionString, "SELECT count(*) FROM \"AuditEntries\" WHERE \"Entity\" = 'SealOrder' AND \"Action\" = 'Create'"));
            Assert.Equal(6, await Scalar(connectionString, "SELECT count(*) FROM \"AuditEntries\" WHERE \"Entity\" = 'Violation' AND \"Action\" = 'Create' AND \"After\" LIKE '%SealDeadlineMissed%'"));
            // Both instances ran a Hangfire server on the one storage: either could have taken any of the runs.
            Assert.Equal(2, await Scalar(connectionString, "SELECT count(DISTINCT id) FROM hangfire.server"));
        }
        finally
        {
            FleetFactory.DropPostgresDatabase(database);
        }
    }
}
