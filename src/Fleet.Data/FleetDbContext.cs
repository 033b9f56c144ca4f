using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Data;

public class FleetDbContext(DbContextOptions<FleetDbContext> options) : DbContext(options)
{
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<Holiday> Holidays => Set<Holiday>();
    public DbSet<SealUpSchedule> SealUpSchedules => Set<SealUpSchedule>();
    public DbSet<SealUpScheduleUnit> SealUpScheduleUnits => Set<SealUpScheduleUnit>();
    public DbSet<SealOrder> SealOrders => Set<SealOrder>();
    public DbSet<SealOrderCount> SealOrderCounts => Set<SealOrderCount>();
    public DbSet<VehicleCount> VehicleCounts => Set<VehicleCount>();
    public DbSet<ViolationCount> ViolationCounts => Set<ViolationCount>();
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
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    /// <summary>Names the audit action of a tracked entity ("Dispose", "Seal") where "Update" would say too little.</summary>
    internal Dictionary<object, string> AuditActions { get; } = new(ReferenceEqualityComparer.Instance);

    public void AuditAs(object entity, string action) => AuditActions[entity] = action;

    /// <summary>
    /// The region subtree every query of this context is confined to (null: the whole deployment, as at the root and
    /// in jobs). Set once per request from the caller; the query filters below read it, so every read, lookup, count,
    /// set-based update and report of the request stays inside it without a Where of its own (docs/decisions/015).
    /// </summary>
    public RegionScope? Scope { get; private set; }

    // What the filters read: plain properties of the context, which EF turns into parameters of each query.
    private int? ScopeLow => Scope?.Low;
    private int? ScopeHigh => Scope?.High;
    private int? ScopeProvince => Scope?.ProvinceCode;
    private int? ScopeCity => Scope?.CityCode;

    /// <summary>Confines this context to a region's subtree; a context is only ever narrowed further, never widened.</summary>
    public void NarrowTo(RegionScope scope)
    {
        if (Scope is { } current && (scope.Low < current.Low || scope.High > current.High))
            throw new InvalidOperationException("A context's region scope is never widened.");
        Scope = scope;
    }

    // A pooled context goes back to the pool on dispose: it must not carry one request's audit names or scope into the next.
    public override void Dispose()
    {
        AuditActions.Clear();
        Scope = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        AuditActions.Clear();
        Scope = null;
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
        ScopeFilters(modelBuilder);
        // Index filters are written with [bracketed] names (SQLite and SQL Server); PostgreSQL quotes names "so".
        if (Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()))
                if (index.GetFilter() is { } filter) index.SetFilter(filter.Replace('[', '"').Replace(']', '"'));
        }
    }

    /// <summary>
    /// The region scope, in one place: a record belongs to the subtree its unit (or region) lies in. Schedules and
    /// campaigns are also seen from below (a district sees the city's National Day schedule, and only its own orders
    /// under it). Holidays are everyone's. With no scope each filter is "true" and EF leaves it out of the SQL.
    /// </summary>
    private void ScopeFilters(ModelBuilder modelBuilder)
    {
        const string name = "RegionScope";
        modelBuilder.Entity<Region>().HasQueryFilter(name, r => ScopeLow == null || (r.Code >= ScopeLow && r.Code <= ScopeHigh));
        modelBuilder.Entity<Unit>().HasQueryFilter(name, u => ScopeLow == null || (u.RegionCode >= ScopeLow && u.RegionCode <= ScopeHigh));
        modelBuilder.Entity<User>().HasQueryFilter(name, u => ScopeLow == null || (u.RegionCode >= ScopeLow && u.RegionCode <= ScopeHigh) ||
            Units.Where(x => x.RegionCode >= ScopeLow && x.RegionCode <= ScopeHigh).Select(x => (Guid?)x.Id).Contains(u.UnitId));
        modelBuilder.Entity<SealUpSchedule>().HasQueryFilter(name, s => ScopeLow == null || (s.RegionCode >= ScopeLow && s.RegionCode <= ScopeHigh) ||
            s.RegionCode == ScopeProvince || s.RegionCode == ScopeCity);
        modelBuilder.Entity<Campaign>().HasQueryFilter(name, c => ScopeLow == null || (c.RegionCode >= ScopeLow && c.RegionCode <= ScopeHigh) ||
            c.RegionCode == ScopeProvince || c.RegionCode == ScopeCity);
        modelBuilder.Entity<ArchivedReport>().HasQueryFilter(name, a => ScopeLow == null || (a.RegionCode >= ScopeLow && a.RegionCode <= ScopeHigh));
        // An entry is seen where its record is: a unit's records in the unit's subtree, a region's own where the region is;
        // entries of no unit or region (holidays, imports of usage files) only at the root.
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(name, a => ScopeLow == null || (a.RegionCode >= ScopeLow && a.RegionCode <= ScopeHigh) ||
            Units.Where(x => x.RegionCode >= ScopeLow && x.RegionCode <= ScopeHigh).Select(x => (Guid?)x.Id).Contains(a.UnitId));
        UnitOwned<SealUpScheduleUnit>(modelBuilder, name, e => e.UnitId);
        UnitOwned<SealOrderCount>(modelBuilder, name, e => e.UnitId);
        foreach (var type in modelBuilder.Model.GetEntityTypes().Select(e => e.ClrType).Where(t => typeof(IUnitOwned).IsAssignableFrom(t)).ToList())
            typeof(FleetDbContext).GetMethod(nameof(OwnedByUnit), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [modelBuilder, name]);
    }

    private void OwnedByUnit<T>(ModelBuilder modelBuilder, string name) where T : class, IUnitOwned => UnitOwned<T>(modelBuilder, name, e => e.UnitId);

    private void UnitOwned<T>(ModelBuilder modelBuilder, string name, System.Linq.Expressions.Expression<Func<T, Guid>> unit) where T : class
    {
        // e => ScopeLow == null || <units of the subtree>.Contains(e.UnitId): an IN over the indexed range of unit codes.
        System.Linq.Expressions.Expression<Func<Guid, bool>> inScope = id => ScopeLow == null ||
            Units.Where(x => x.RegionCode >= ScopeLow && x.RegionCode <= ScopeHigh).Select(x => x.Id).Contains(id);
        var body = new Replace(inScope.Parameters[0], unit.Body).Visit(inScope.Body)!;
        modelBuilder.Entity<T>().HasQueryFilter(name, System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, unit.Parameters));
    }

    private sealed class Replace(System.Linq.Expressions.Expression from, System.Linq.Expressions.Expression to) : System.Linq.Expressions.ExpressionVisitor
    {
        public override System.Linq.Expressions.Expression? Visit(System.Linq.Expressions.Expression? node) => node == from ? to : base.Visit(node);
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
