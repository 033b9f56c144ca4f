using System.Text;
using Fleet.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Fleet.Tests;

/// <summary>Keeps the SQL Server path honest on machines without a SQL Server.</summary>
public class SchemaTests
{
    private static FleetDbContext Sqlite() => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseSqlite("Data Source=:memory:", o => o.MigrationsAssembly("Fleet.Migrations.Sqlite")).Options);

    private static FleetDbContext SqlServer() => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseSqlServer("Server=unused;Database=Fleet", o => o.MigrationsAssembly("Fleet.Migrations.SqlServer")).Options);

    private static FleetDbContext PostgreSql() => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseNpgsql("Host=unused;Database=fleet", o => o.MigrationsAssembly("Fleet.Migrations.PostgreSql")).Options);

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "db", "fleet.sql");
    public static string PostgreSqlScriptPath => Path.Combine(AppContext.BaseDirectory, "db", "postgresql.sql");

    [Fact]
    public void Neither_provider_has_model_changes_without_a_migration()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();
        Assert.False(sqlite.Database.HasPendingModelChanges(), "Run db/add-migration.sh: the SQLite migrations lag the model.");
        Assert.False(sqlServer.Database.HasPendingModelChanges(), "Run db/add-migration.sh: the SQL Server migrations lag the model.");
        using var postgres = PostgreSql();
        Assert.False(postgres.Database.HasPendingModelChanges(), "Run db/add-migration.sh: the PostgreSQL migrations lag the model.");
    }

    [Fact]
    public void The_postgresql_script_in_db_is_generated_from_the_current_migrations()
    {
        using var db = PostgreSql();
        var expected = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.True(Normalise(expected) == Normalise(File.ReadAllText(PostgreSqlScriptPath)),
            "db/postgresql/fleet.sql is out of date: run db/script-postgresql.sh.");
        // Index filters in PostgreSQL's quoting, never SQL Server's brackets.
        Assert.Contains("WHERE \"Status\" = 'Requested'", File.ReadAllText(PostgreSqlScriptPath));
        Assert.DoesNotContain("[Status]", File.ReadAllText(PostgreSqlScriptPath));
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]);
        Assert.Equal(Names(sqlite), Names(sqlServer));
    }

    [Fact]
    public void The_sql_server_script_in_db_is_generated_from_the_current_migrations()
    {
        using var db = SqlServer();
        var expected = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.True(Normalise(expected) == Normalise(File.ReadAllText(ScriptPath)),
            "db/sqlserver/fleet.sql is out of date: run db/script-sqlserver.sh.");
    }

    [Fact]
    public void The_sql_server_script_parses_with_the_t_sql_parser()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StreamReader(ScriptPath, Encoding.UTF8);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")));
        var script = Assert.IsType<TSqlScript>(fragment);
        Assert.True(script.Batches.Sum(b => b.Statements.Count) > 10);
        Assert.Contains(script.Batches.SelectMany(b => b.Statements).OfType<IfStatement>(), s => s.ThenStatement is not null);
    }

    private static string Normalise(string sql) => sql.TrimStart('\uFEFF').Replace("\r\n", "\n").Trim();
}
