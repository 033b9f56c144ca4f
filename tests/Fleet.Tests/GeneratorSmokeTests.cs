using Fleet.Benchmarks;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>The province generator at smoke scale, so that it cannot rot between hand-run benchmarks.</summary>
public class GeneratorSmokeTests
{
    [Fact]
    public async Task The_generator_writes_a_database_the_real_model_reads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-smoke-{Guid.NewGuid():N}.db");
        try
        {
            await Generator.GenerateAsync(path, Scale.Smoke, TextWriter.Null);
            await Check(path);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    private static async Task Check(string path)
    {
        var options = new DbContextOptionsBuilder<FleetDbContext>().UseSqlite($"Data Source={path}").Options;
        await using var db = new FleetDbContext(options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(Scale.Smoke.Units, await db.Units.CountAsync());
        Assert.Equal(Scale.Smoke.Vehicles, await db.Vehicles.CountAsync());
        Assert.Equal(Scale.Smoke.Violations, await db.Violations.CountAsync());
        Assert.Equal(Scale.Smoke.SpotChecks, await db.SpotChecks.CountAsync());
        Assert.Equal(Scale.Smoke.Orders, await db.SealOrders.CountAsync(o => o.Status == SealOrderStatus.Pending));
        Assert.Equal(Scale.Smoke.Recoveries, await db.RecoveryCases.CountAsync());
        Assert.Equal(Scale.Smoke.Units, await db.RecoveryCases.Select(r => r.UnitId).Distinct().CountAsync());
        // Every vehicle belongs to a unit, and the model reads the generated rows back.
        Assert.Equal(Scale.Smoke.Units, await db.Vehicles.Select(v => v.UnitId).Distinct().CountAsync());
        var vehicle = await db.Vehicles.OrderBy(v => v.PlateNumber).FirstAsync();
        Assert.Equal(DateTimeKind.Utc, vehicle.RegisteredAt.Kind);
        Assert.True(await db.Units.AnyAsync(u => u.Id == vehicle.UnitId));
        Assert.True(Fleet.Api.Features.Vehicles.Plates.IsValid(vehicle.PlateNumber));
    }
}
