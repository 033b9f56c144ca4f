using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Data;

public class FleetDbContext(DbContextOptions<FleetDbContext> options) : DbContext(options)
{
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<Holiday> Holidays => Set<Holiday>();
    public DbSet<SealUpSchedule> SealUpSchedules => Set<SealUpSchedule>();
    public DbSet<SealUpScheduleUnit> SealUpScheduleUnits => Set<SealUpScheduleUnit>();
    public DbSet<SealOrder> SealOrders => Set<SealOrder>();
    public DbSet<SealOrderCount> SealOrderCounts => Set<SealOrderCount>();
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();
    public DbSet<UsageImport> UsageImports => Set<UsageImport>();
    public DbSet<ViolationUsage> ViolationUsages => Set<ViolationUsage>();
    public DbSet<Evidence> Evidence => Set<Evidence>();
    public DbSet<ReminderDelivery> ReminderDeliveries => Set<ReminderDelivery>();
    public DbSet<Exemption> Exemptions => Set<Exemption>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<SpotCheck> SpotChecks => Set<SpotCheck>();
    public DbSet<SpotCheckCorrection> SpotCheckCorrections => Set<SpotCheckCorrection>();
    public DbSet<Violation> Violations => Set<Violation>();
    public DbSet<PersonAction> PersonActions => Set<PersonAction>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<RecoveryCase> RecoveryCases => Set<RecoveryCase>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ArchivedReport> ArchivedReports => Set<ArchivedReport>();
    public DbSet<SignInAttempt> SignInAttempts => Set<SignInAttempt>();

    /// <summary>Names the audit action of a tracked entity ("Dispose", "Seal") where "Update" would say too little.</summary>
    internal Dictionary<object, string> AuditActions { get; } = new(ReferenceEqualityComparer.Instance);

    public void AuditAs(object entity, string action) => AuditActions[entity] = action;

    // A pooled context goes back to the pool on dispose: it must not carry one request's audit names into the next.
    public override void Dispose()
    {
        AuditActions.Clear();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        AuditActions.Clear();
        return base.DisposeAsync();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new();

    /// <summary>
    /// SQLite has one writer at a time, and writers queuing inside SQLite sleep in its busy handler, wasting the lock's
    /// free moments. Outside an explicit transaction, saves to one SQLite file queue here, in the process, instead
    /// (several processes on one file still fall back on the busy timeout). SQL Server is not gated.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite" || Database.CurrentTransaction is not null)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var gate = WriteGates.GetOrAdd(Database.GetDbConnection().DataSource, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Takes the SQLite file's write gate for a transaction written outside SaveChanges (group commit), so that it queues
    /// with the saves instead of in SQLite's busy handler; on a server database there is no gate (null).
    /// </summary>
    public async Task<IDisposable?> EnterWriteGateAsync(CancellationToken cancellationToken)
    {
        if (Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite") return null;
        var gate = WriteGates.GetOrAdd(Database.GetDbConnection().DataSource, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FleetDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(IVersioned).IsAssignableFrom(e.ClrType)))
            modelBuilder.Entity(entity.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        // Index filters are written with [bracketed] names (SQLite and SQL Server); PostgreSQL quotes names "so".
        if (Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()))
                if (index.GetFilter() is { } filter) index.SetFilter(filter.Replace('[', '"').Replace(']', '"'));
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Portable across SQLite and SQL Server: enums as strings, instants as UTC, money as decimal(18,2).
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
