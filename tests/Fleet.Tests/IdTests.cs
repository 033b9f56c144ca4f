using System.Data.SqlTypes;
using Fleet.Data;

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
