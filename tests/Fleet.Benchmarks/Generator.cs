using System.Diagnostics;
using Fleet.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Benchmarks;

/// <summary>How big a province to generate.</summary>
public sealed record Scale(int Units, int Vehicles, int Orders, int SpotChecks, int Violations, int Recoveries)
{
    public static readonly Scale Province = new(10_000, 1_000_000, 1_000_000, 2_000_000, 1_000_000, 50_000);
    public static readonly Scale Smoke = new(50, 2_000, 2_000, 4_000, 2_000, 100);

    /// <summary>A tenth of the province: the second point of the growth rows.</summary>
    public static readonly Scale City = new(1_000, 100_000, 100_000, 200_000, 100_000, 5_000);

    public static Scale Parse(string name) => name switch
    {
        "province" => Province,
        "city" => City,
        "smoke" => Smoke,
        _ => throw new ArgumentException($"Unknown scale {name}: province, city or smoke."),
    };
}

/// <summary>
/// Writes a province-scale SQLite database through the real schema (the real migrations), set-based: each table is one
/// INSERT ... SELECT over a recursive counter, inside one transaction. Minutes, not hours.
/// </summary>
public static class Generator
{
    /// <summary>Time-ordered ids, as Fleet makes them (Guid version 7 in code, a shared prefix and a row number in set-based SQL).</summary>
    private static string Ids(string number) => $"('{Guid.CreateVersion7().ToString("D").ToUpperInvariant()[..24]}' || printf('%012X', {number}))";
    public const string ScheduleHoliday = "基准假日 Benchmark holiday";

    /// <summary>The root region the migration made, which the generator turns into the province.</summary>
    public const string Root = "00000000-0000-0000-0000-000000370100";

    /// <summary>Shandong's sixteen cities (GB/T 2260); the 136 counties below them are numbered 02, 03, ... in each.</summary>
    public static readonly (int Code, string Name)[] Cities =
    [
        (370100, "济南市"), (370200, "青岛市"), (370300, "淄博市"), (370400, "枣庄市"), (370500, "东营市"), (370600, "烟台市"),
        (370700, "潍坊市"), (370800, "济宁市"), (370900, "泰安市"), (371000, "威海市"), (371100, "日照市"), (371300, "临沂市"),
        (371400, "德州市"), (371500, "聊城市"), (371600, "滨州市"), (371700, "菏泽市"),
    ];

    public const int Counties = 136;

    /// <summary>
    /// 山东省 at the root, its 16 cities, and 136 counties (nine in each of the first eight cities, eight in the others); one
    /// row per region in the temporary table region_no, numbered 0.. so that units can be spread over them.
    /// </summary>
    private static string RegionsSql()
    {
        var sql = new System.Text.StringBuilder($"UPDATE Regions SET Code = 370000, Name = '山东省', Level = 'Province', Version = 1 WHERE Id = '{Root}';\n");
        sql.Append("CREATE TEMP TABLE region_no (n INTEGER PRIMARY KEY, id TEXT NOT NULL, code INTEGER NOT NULL);\n");
        var n = 0;
        for (var c = 0; c < Cities.Length; c++)
        {
            var (code, name) = Cities[c];
            var city = new Guid(0, 0, 0, [0, 0, 0, 0, 0, (byte)(code / 10000), (byte)(code / 100 % 100), 0]).ToString("D").ToUpperInvariant();
            sql.Append($"INSERT INTO Regions (Id, Code, Name, Level, ParentId, CreatedAt, Version) VALUES ('{city}', {code}, '{name}', 'City', '{Root}', '2026-01-01 00:00:00', 0);\n");
            sql.Append($"INSERT INTO region_no VALUES ({n++}, '{city}', {code});\n");
            for (var k = 0; k < (c < 8 ? 9 : 8); k++)
            {
                var county = code + 2 + k;
                var id = new Guid(0, 0, 0, [0, 0, 0, 0, 0, (byte)(county / 10000), (byte)(county / 100 % 100), (byte)(county % 100)]).ToString("D").ToUpperInvariant();
                sql.Append($"INSERT INTO Regions (Id, Code, Name, Level, ParentId, CreatedAt, Version) VALUES ('{id}', {county}, '{name[..^1]}第{k + 1}区', 'County', '{city}', '2026-01-01 00:00:00', 0);\n");
                sql.Append($"INSERT INTO region_no VALUES ({n++}, '{id}', {county});\n");
            }
        }
        return sql.ToString();
    }

    public static async Task GenerateAsync(string path, Scale scale, TextWriter log)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        var options = new DbContextOptionsBuilder<FleetDbContext>()
            .UseSqlite($"Data Source={path}", o => o.MigrationsAssembly("Fleet.Migrations.Sqlite")).Options;
        await using (var db = new FleetDbContext(options)) await db.Database.MigrateAsync();

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();

        async Task Step(string what, int count, string sql)
        {
            var clock = Stopwatch.StartNew();
            var rows = await Exec(connection, sql.Replace("@count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), transaction);
            await log.WriteLineAsync($"  {what,-14} {rows,10:N0} rows in {clock.Elapsed.TotalSeconds,6:F1} s");
        }

        const string Seq = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @count)";
        await Exec(connection, RegionsSql(), transaction);
        // One unit in fifty is the province's own (省直部门); the others are spread evenly over the cities and counties.
        await Step("units", scale.Units, $"""
            {Seq}
            INSERT INTO Units (Id, Code, Name, Kind, ParentId, VehicleQuota, CreatedAt, Version, RegionId, RegionCode)
            SELECT {Ids("seq.n")}, printf('U%05d', seq.n), '单位' || seq.n, CASE seq.n % 3 WHEN 0 THEN 'Department' WHEN 1 THEN 'SubDistrictOffice' ELSE 'Institution' END,
                   NULL, @vehicles / @count + 1, '2026-01-01 00:00:00', 0,
                   CASE WHEN seq.n % 50 = 0 THEN '{Root}' ELSE r.id END, CASE WHEN seq.n % 50 = 0 THEN 370000 ELSE r.code END
            FROM seq JOIN region_no r ON r.n = seq.n % {Cities.Length + Counties}
            """.Replace("@vehicles", scale.Vehicles.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // Units are read back in code order, so vehicle n belongs to unit n mod units.
        await Exec(connection, "CREATE TEMP TABLE unit_no (n INTEGER PRIMARY KEY, id TEXT NOT NULL); INSERT INTO unit_no SELECT CAST(substr(Code, 2) AS INTEGER) - 1, Id FROM Units;", transaction);
        await Step("vehicles", scale.Vehicles, $"""
            {Seq}
            INSERT INTO Vehicles (Id, PlateNumber, Vin, Make, Model, Category, EngineDisplacement, PurchasePrice, AcquiredOn, Source, UnitId,
                                  Status, OverStandard, RegisteredAt, Version)
            SELECT {Ids("n")},
                   substr('京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼', (n / 2400000) % 31 + 1, 1)
                     || substr('ABCDEFGHJKLMNPQRSTUVWXYZ', (n / 100000) % 24 + 1, 1) || printf('%05d', n % 100000),
                   'LBENCH' || printf('%011d', n), '一汽大众', '帕萨特',
                   CASE WHEN n % 20 = 0 THEN 'LawEnforcement' ELSE 'General' END, '1.4', '150000',
                   '2022-05-01', CASE WHEN n % 50 = 0 THEN 'BorrowedFromEnterprise' ELSE 'Allocated' END,
                   (SELECT id FROM unit_no WHERE unit_no.n = seq.n % @units), 'Active', 0, '2026-01-01 00:00:00', 0
            FROM seq
            """.Replace("@units", scale.Units.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Step("violations", scale.Violations, $"""
            INSERT INTO Violations (Id, Type, VehicleId, PlateNumber, UnitId, DetectedAt, Source, SourceId, DedupKey, Status, Notes, Version)
            SELECT {Ids("v.rowid")},
                   CASE v.rowid % 6 WHEN 0 THEN 'OverStandard' WHEN 1 THEN 'PrivateUse' WHEN 2 THEN 'OffSiteParking' WHEN 3 THEN 'SealBroken'
                                    WHEN 4 THEN 'IllegalSource' ELSE 'Other' END,
                   v.Id, v.PlateNumber, v.UnitId,
                   strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || (v.rowid % 330) || ' days', '+' || (v.rowid % 86400) || ' seconds'),
                   'Manual', NULL, NULL, CASE WHEN v.rowid % 4 = 0 THEN 'Resolved' ELSE 'Open' END,
                   CASE WHEN v.rowid % 100 = 0 THEN '=1+1 看似公式的备注' ELSE '周末公车私用' END, 0
            FROM Vehicles v WHERE v.rowid <= @count
            """);
        await Step("actions", scale.Violations / 10, """
            INSERT INTO PersonActions (Id, ViolationId, PersonName, Position, Action, Note, RecordedAt, RecordedBy)
            SELECT lower(hex(randomblob(16))), x.Id, '张' || x.rowid, '科员', 'Admonishment', NULL, x.DetectedAt, 'generator'
            FROM Violations x WHERE x.rowid % 10 = 0
            """.Replace("lower(hex(randomblob(16)))", Ids("x.rowid")));
        await Step("spot checks", scale.SpotChecks, $"""
            INSERT INTO SpotChecks (Id, VehicleId, PlateNumber, UnitId, CheckedAt, Location, Finding, Notes, CorrectsId, ViolationId, RecordedAt, RecordedBy)
            SELECT {Ids("(v.rowid * 2 + k.k)")}, v.Id, v.PlateNumber, v.UnitId,
                   strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || ((v.rowid + k.k * 7) % 330) || ' days'),
                   '单位大院', CASE WHEN (v.rowid + k.k) % 25 = 0 THEN 'PrivateUse' ELSE 'Compliant' END, NULL, NULL, NULL,
                   '2026-11-01 00:00:00', 'generator'
            FROM Vehicles v, (SELECT 0 AS k UNION ALL SELECT 1) k
            WHERE v.rowid <= (@count + 1 - k.k) / 2
            """);
        await Exec(connection, """
            INSERT INTO Holidays (Id, Name, FirstDay, LastDay) VALUES ('00000000-0000-0000-0000-0000000000B1', 'HOLIDAY', '2027-02-05', '2027-02-12');
            INSERT INTO SealUpSchedules (Id, HolidayId, SealDeadline, ReleaseAt, Status, AllUnits, ExemptCategories, PublishedAt, PublishedBy, Version, RegionId, RegionCode)
            VALUES ('00000000-0000-0000-0000-0000000000B2', '00000000-0000-0000-0000-0000000000B1', '2027-02-04 10:00:00', '2027-02-13 00:00:00',
                    'Published', 1, '', '2027-01-20 00:00:00', 'generator', 0, 'ROOT', 370000);
            INSERT INTO Campaigns (Id, Name, StartsOn, EndsOn, CreatedAt, RegionId, RegionCode)
            VALUES ('00000000-0000-0000-0000-0000000000B3', '基准专项清理', '2026-01-01', '2026-12-31', '2026-01-01 00:00:00', 'ROOT', 370000);
            """.Replace("HOLIDAY", ScheduleHoliday).Replace("ROOT", Root), transaction);
        await Step("seal orders", scale.Orders, $"""
            INSERT INTO SealOrders (Id, ScheduleId, VehicleId, UnitId, Status, Late, CreatedAt, Version)
            SELECT {Ids("v.rowid")}, '00000000-0000-0000-0000-0000000000B2', v.Id, v.UnitId, 'Pending', 0, '2027-01-20 00:00:00', 0
            FROM Vehicles v WHERE v.rowid <= @count
            """);
        await Step("recoveries", scale.Recoveries, $"""
            INSERT INTO RecoveryCases (Id, CampaignId, VehicleId, PlateNumber, UnitId, Reason, DueOn, Status, RecoveredOn, Disposition, PastDue, OpenedAt, OpenedBy, Version)
            SELECT {Ids("v.rowid")}, '00000000-0000-0000-0000-0000000000B3', v.Id, v.PlateNumber, v.UnitId, 'BorrowedFromEnterprise', '2026-12-31',
                   CASE v.rowid % 5 WHEN 0 THEN 'Open' WHEN 1 THEN 'Cancelled' ELSE 'Recovered' END,
                   CASE WHEN v.rowid % 5 > 1 THEN '2026-06-01' END, CASE WHEN v.rowid % 5 > 1 THEN 'ReturnedToOwner' END, 0,
                   '2026-03-01 00:00:00', 'generator', 0
            FROM Vehicles v WHERE v.rowid <= @count
            """);
        await transaction.CommitAsync();
        await Exec(connection, "ANALYZE;");
    }

    private static async Task<int> Exec(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync();
    }
}
