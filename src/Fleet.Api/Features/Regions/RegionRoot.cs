using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Regions;

/// <summary>
/// The deployment's root region. The migration that brought levels made one (the demo's 370100 济南市) holding every
/// unit, user, schedule and campaign of a flat deployment; the first start moves it to the configured
/// <c>Fleet:Region:Code</c> and <c>Name</c> while nothing has been built below it, and from then on the root stays.
/// </summary>
public static class RegionRoot
{
    public static async Task EnsureAsync(IServiceProvider services, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<FleetDbContext>();
        var configured = sp.GetRequiredService<IOptions<FleetOptions>>().Value.Region;
        if (!int.TryParse(configured.Code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ||
            configured.Code.Length != 6 || !RegionScope.IsCode(code) || string.IsNullOrWhiteSpace(configured.Name))
            throw new InvalidOperationException($"Fleet:Region:Code must be a six-digit GB/T 2260 code and Fleet:Region:Name a name (got '{configured.Code}', '{configured.Name}').");
        var root = await db.Regions.SingleAsync(r => r.ParentId == null);
        // Version 0: as the migration made it. Once confirmed (or renamed by an Admin) the configuration no longer moves it.
        if (root.Version == 0 && (root.Code != code || root.Name != configured.Name.Trim()) && !await db.Regions.AnyAsync(r => r.ParentId != null))
        {
            using var _ = AuditActor.RunAs("bootstrap");
            await using var transaction = await db.Database.BeginTransactionAsync();
            var old = root.Code;
            root.Code = code;
            root.Name = configured.Name.Trim();
            root.Level = RegionScope.LevelOf(code);
            root.Version++;
            await db.SaveChangesAsync();
            // The copies of the code on the records of the flat deployment follow.
            await db.Units.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await db.Users.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await db.SealUpSchedules.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await db.Campaigns.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await db.ArchivedReports.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await db.AuditEntries.Where(u => u.RegionCode == old).ExecuteUpdateAsync(s => s.SetProperty(u => u.RegionCode, code));
            await transaction.CommitAsync();
            logger.LogInformation("The root region is {Code} {Name}", root.CodeText, root.Name);
        }
        else if (root.Code != code)
        {
            logger.LogWarning("Fleet:Region:Code is {Configured}, but this deployment's root region is {Code} {Name}; the root stays.", configured.Code, root.CodeText, root.Name);
        }
        sp.GetRequiredService<RootRegion>().Set(root);
    }
}
