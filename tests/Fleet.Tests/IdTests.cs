using System.Data.SqlTypes;
using Fleet.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class IdTests
{
    [Fact]
    public void A_thousand_ids_made_in_order_for_sql_server_ascend_under_its_uniqueidentifier_comparison()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.SqlServerSequential()).ToList();
        for (var i = 1; i < ids.Count; i++)
            Assert.True(new SqlGuid(ids[i - 1]).CompareTo(new SqlGuid(ids[i])) < 0, $"id {i} sorts before id {i - 1}");
        Assert.Equal(1000, ids.Distinct().Count());
    }

    [Fact]
    public void The_set_based_id_expression_for_sql_server_parses_and_takes_a_block_that_ids_made_later_sort_after()
    {
        var before = Ids.SqlServerSequential();
        var expression = Fleet.Api.Infrastructure.SetBased.SqlServerSequentialId();
        var after = Ids.SqlServerSequential();
        var parser = new Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader($"INSERT INTO [SealOrders] ([Id]) SELECT {expression} FROM [Vehicles] v;");
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
        // The block lies between the ids made before and after it: 2^24 counter values, far more than one statement's rows.
        var start = long.Parse(System.Text.RegularExpressions.Regex.Match(expression, @"CAST\((\d+) AS bigint\)").Groups[1].Value);
        static long Counter(Guid id)
        {
            var b = id.ToByteArray();
            return ((long)b[10] << 56) | ((long)b[11] << 48) | ((long)b[12] << 40) | ((long)b[13] << 32) | ((long)b[14] << 24) | ((long)b[15] << 16) | ((long)b[8] << 8) | b[9];
        }
        Assert.True(Counter(before) <= start && start + (1L << 24) < Counter(after));
    }

    /// <summary>
    /// The usage import's statement on SQL Server (no server runs here): 100 rows of usage records, each skipped when its
    /// natural key is stored, under a key-range lock so that two imports at once cannot both insert one key. It parses,
    /// and stays within SQL Server's 2,100 parameters.
    /// </summary>
    [Fact]
    public void The_bulk_insert_for_sql_server_parses_and_locks_the_keys_it_checks()
    {
        using var db = new FleetDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<FleetDbContext>()
            .UseSqlServer("Server=unused;Database=Fleet", o => o.MigrationsAssembly("Fleet.Migrations.SqlServer")).Options);
        var type = db.Model.FindEntityType(typeof(Fleet.Data.Entities.UsageRecord))!;
        var sql = Fleet.Api.Infrastructure.RowInserter.Sql(db, type, 100, nameof(Fleet.Data.Entities.UsageRecord.NaturalKey));
        var parser = new Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
        Assert.Contains("WITH (UPDLOCK, HOLDLOCK) WHERE x.[NaturalKey] = v.[NaturalKey]", sql);
        var parameters = System.Text.RegularExpressions.Regex.Matches(sql, @"@p\d+").Select(m => m.Value).Distinct().Count();
        Assert.Equal(100 * type.GetProperties().Count(), parameters);
        Assert.True(parameters < 2100);
    }

    [Fact]
    public void Version_7_ids_would_not_ascend_there_which_is_why_sql_server_gets_its_own_layout()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Guid.CreateVersion7()).ToList();
        var descents = ids.Zip(ids.Skip(1)).Count(p => new SqlGuid(p.First).CompareTo(new SqlGuid(p.Second)) > 0);
        Assert.True(descents > 100, $"only {descents} of 999 steps descend");
        // ... while as text (SQLite) and as uuid bytes (PostgreSQL) they ascend across milliseconds.
        var spread = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            spread.Add(Guid.CreateVersion7());
            Thread.Sleep(2);
        }
        Assert.Equal(spread.Select(g => g.ToString()).Order(StringComparer.Ordinal), spread.Select(g => g.ToString()));
    }
}
