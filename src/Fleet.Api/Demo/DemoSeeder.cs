using System.Globalization;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.Units;
using Fleet.Api.Features.Users;
using Fleet.Api.Features.Vehicles;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Demo;

/// <summary>
/// Loads the demo district from seeds/ into an empty database, in one transaction, through the same rules as the API,
/// each record at the time its story says (vehicles registered before the first clean-up round, so the violations the
/// standards check opens come from records). A database that already has units is left alone: seeding twice changes nothing.
/// The rules come from the seeder's DI scope, as an endpoint's do; the scope's clock is the replay clock.
/// </summary>
public sealed class DemoSeeder(FleetDbContext db, IServiceProvider services, ScopeClock scopeClock, LocalTime local,
    IOptions<FleetOptions> options, ILogger<DemoSeeder> logger)
{
    /// <summary>When the demo district's register was set up: before the first round of the clean-up.</summary>
    public static readonly DateTimeOffset RegisterDay = new(2026, 2, 2, 1, 0, 0, TimeSpan.Zero);

    public static string SeedDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public static readonly Caller Admin = new(Guid.Empty, Bootstrap.AdminUsername, Role.Admin, null);

    public async Task SeedAsync(string? demoPassword, CancellationToken ct = default)
    {
        if (await db.Units.AnyAsync(ct)) return;
        using var _ = AuditActor.RunAs("seed");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var clock = new ReplayClock(RegisterDay);
        scopeClock.Use(clock);

        var regions = await RegionsAsync(ct);
        var units = new Dictionary<string, Unit>();
        var unitRules = services.GetRequiredService<UnitRules>();
        foreach (var row in Csv.Read(Path.Combine(SeedDirectory, "units.csv")))
        {
            var parentId = row["parentCode"] is { Length: > 0 } parent ? units[parent].Id : (Guid?)null;
            var checkedRow = await DemoReport.Valid(services, new UnitEndpoints.UnitRequest(row["code"], row["name"],
                EnumNames.TryParse<UnitKind>(row["kind"], out var kind) ? kind : null, parentId, int.Parse(row["vehicleQuota"], CultureInfo.InvariantCulture),
                regions[row["regionCode"]]));
            var unit = DemoReport.Expect(await unitRules.CreateAsync(Admin,
                new UnitInput(checkedRow.Code!, checkedRow.Name!, checkedRow.Kind!.Value, checkedRow.ParentId, checkedRow.VehicleQuota!.Value, checkedRow.RegionId), ct));
            units[unit.Code] = unit;
        }

        var sealUp = services.GetRequiredService<SealUpRules>();
        var vehicles = services.GetRequiredService<VehicleRules>();
        foreach (var row in Csv.Read(Path.Combine(SeedDirectory, "vehicles.csv")))
        {
            var request = new VehicleRequest(row["plateNumber"], row["vin"], row["make"], row["model"],
                Enum.Parse<VehicleCategory>(row["category"]), decimal.Parse(row["engineDisplacement"], CultureInfo.InvariantCulture),
                decimal.Parse(row["purchasePrice"], CultureInfo.InvariantCulture),
                DateOnly.ParseExact(row["acquiredOn"], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Enum.Parse<VehicleSource>(row["source"]), units[row["unitCode"]].Id);
            DemoReport.Expect(await vehicles.RegisterAsync(Admin, await DemoReport.Valid(services, request), ct));
            db.ChangeTracker.Clear();
        }

        foreach (var row in Csv.Read(Path.Combine(SeedDirectory, "holidays.csv")))
            DemoReport.Expect(await sealUp.CreateHolidayAsync(Admin, row["name"], DateOnly.ParseExact(row["firstDay"], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(row["lastDay"], "yyyy-MM-dd", CultureInfo.InvariantCulture), ct));

        if (demoPassword is null)
        {
            logger.LogWarning("Demo users were not created: their password is the admin's, and it is not known here. Set Fleet:AdminPassword.");
        }
        else
        {
            var accounts = services.GetRequiredService<AccountRules>();
            foreach (var row in Csv.Read(Path.Combine(SeedDirectory, "users.csv")))
            {
                if (await db.Users.AnyAsync(u => u.Username == row["username"], ct)) continue;
                var unitId = row["unitCode"] is { Length: > 0 } code ? units[code].Id : (Guid?)null;
                var regionId = row["regionCode"] is { Length: > 0 } region ? regions[region] : (Guid?)null;
                DemoReport.Expect(await accounts.CreateAsync(Admin, new NewAccount(row["username"], demoPassword, Enum.Parse<Role>(row["role"]), unitId, RegionId: regionId), ct));
            }
        }
        await new DemoReport(db, services, local, clock).SeedAsync(SeedDirectory, units, regions, ct);
        await PublishNextSealUpAsync(sealUp, clock, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Loaded the demo district: {Units} units, {Vehicles} vehicles", units.Count, await db.Vehicles.CountAsync(ct));
    }

    /// <summary>
    /// The first screen shows the next holiday's seal-up, with cars to seal and a countdown, whatever the day the demo
    /// starts: the next holiday whose seal deadline (the eve of its first day) is more than a day ahead gets a schedule
    /// for every unit, published now by the city's admin. When the seeds' holidays are all past, the next New Year's
    /// Day, Labour Day or National Day (fixed dates) is added first.
    /// </summary>
    private async Task PublishNextSealUpAsync(SealUpRules sealUp, ReplayClock clock, CancellationToken ct)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        clock.Now = now;
        var after = DateOnly.FromDateTime(local.ToLocal(now.UtcDateTime)).AddDays(2);
        var next = await db.Holidays.AsNoTracking().Where(h => h.FirstDay >= after).OrderBy(h => h.FirstDay).Select(h => (Guid?)h.Id).FirstOrDefaultAsync(ct);
        if (next is null)
        {
            var (name, first, length) = new[] { after.Year, after.Year + 1 }
                .SelectMany(y => new[] { ("元旦", new DateOnly(y, 1, 1), 3), ("劳动节", new DateOnly(y, 5, 1), 5), ("国庆节", new DateOnly(y, 10, 1), 7) })
                .First(h => h.Item2 >= after);
            next = DemoReport.Expect(await sealUp.CreateHolidayAsync(Admin, name, first, first.AddDays(length - 1), ct)).Id;
        }
        DemoReport.Expect(await sealUp.PublishAsync(Admin, new PublishSchedule(next.Value, null, null, null, null), ct));
    }

    /// <summary>The districts below the root (济南市): 历下区, whose report the demo tells, and 市中区. By code, with the root's.</summary>
    private async Task<Dictionary<string, Guid>> RegionsAsync(CancellationToken ct)
    {
        var root = services.GetRequiredService<RootRegion>();
        var regions = new Dictionary<string, Guid> { [root.Code.ToString(CultureInfo.InvariantCulture)] = root.Id };
        var rules = services.GetRequiredService<Features.Regions.RegionRules>();
        foreach (var row in Csv.Read(Path.Combine(SeedDirectory, "regions.csv")))
        {
            if (!regions.TryGetValue(row["parentCode"], out var parent)) continue; // a deployment rooted elsewhere keeps its own tree
            var region = DemoReport.Expect(await rules.CreateAsync(Admin, new Features.Regions.RegionInput(row["code"], row["name"],
                Enum.Parse<RegionLevel>(row["level"]), parent), ct));
            regions[row["code"]] = region.Id;
        }
        // Under another root (Fleet:Region:Code), the demo's records all go to it.
        foreach (var code in Csv.Read(Path.Combine(SeedDirectory, "regions.csv")).SelectMany(r => new[] { r["code"], r["parentCode"] }))
            regions.TryAdd(code, root.Id);
        return regions;
    }

    /// <summary>The demo users share the admin's password: the configured one, or the one generated into the data directory.</summary>
    public string? DemoPassword(string? createdAdminPassword)
    {
        if (!string.IsNullOrEmpty(options.Value.AdminPassword)) return options.Value.AdminPassword;
        if (createdAdminPassword is not null) return createdAdminPassword;
        var file = Path.Combine(options.Value.DataPath, Bootstrap.PasswordFile);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}

/// <summary>Reads the seeds' small UTF-8 CSV files: a header row, commas, optional double quotes.</summary>
public static class Csv
{
    public static IEnumerable<Dictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = Split(reader.ReadLine() ?? "");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var cells = Split(line);
            yield return header.Select((h, i) => (h, v: i < cells.Count ? cells[i] : "")).ToDictionary(p => p.h, p => p.v);
        }
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
