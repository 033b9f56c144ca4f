using System.Data.Common;
using Fleet.Data.Auditing;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Inserts new records with statements prepared once, in the caller's open transaction, each with the Create audit entry
/// the interceptor would write for it (same shape, actor and time), for bulk work (the vehicle import) where EF's change
/// tracking and update pipeline were most of the time. Any provider: table and column names, quoting and every value's
/// storage form (converters, Guid and decimal forms) come from the EF model's mappings, so a row is stored exactly as
/// SaveChanges would store it. Nothing is tracked; keys must be set (Ids.New()) before a record is inserted.
/// </summary>
public sealed class RowInserter : IDisposable
{
    private readonly FleetDbContext db;
    private readonly string? actor;
    private readonly DateTime at;
    private readonly Dictionary<Type, Statement> statements = [];
    private readonly DbBatch? batch;

    /// <param name="actor">Who the audit entries name; null when each insert names its own.</param>
    /// <param name="batched">Where the provider takes batches (<see cref="Provider.BatchesInserts"/>), the inserts are
    /// queued and sent together by <see cref="FlushAsync"/>, one round trip instead of one per row.</param>
    public RowInserter(FleetDbContext db, IAuditActor? actor, TimeProvider clock, bool batched = false)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Rows are inserted in the caller's transaction.");
        this.db = db;
        this.actor = actor?.Name;
        at = clock.GetUtcNow().UtcDateTime;
        var connection = db.Database.GetDbConnection();
        if (batched && Provider.Of(db).BatchesInserts && connection.CanCreateBatch)
        {
            batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction.GetDbTransaction();
        }
    }

    /// <summary>Sends the queued inserts (batched), as one round trip; a refusal is reported as SaveChanges reports it.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (batch is null || batch.BatchCommands.Count == 0) return;
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (DbException e)
        {
            throw new DbUpdateException($"Inserting rows failed: {e.Message}", e);
        }
        finally
        {
            batch.BatchCommands.Clear();
        }
    }

    public Task InsertAsync(object record, CancellationToken ct) =>
        InsertAsync(record, actor ?? throw new InvalidOperationException("This inserter names an actor with each record."), ct);

    /// <summary>Inserts a record whose audit entry names another actor (group commit writes several users' records at once).</summary>
    public async Task InsertAsync(object record, string actor, CancellationToken ct)
    {
        var statement = For(record.GetType());
        await Insert(statement, record, ct);
        var entry = new AuditEntry
        {
            At = at,
            Actor = actor,
            Entity = statement.Type.ClrType.Name,
            EntityId = statement.Key(record),
            Action = "Create",
            After = AuditShape.OfNew(statement.Type, record),
            UnitId = (record as IUnitOwned)?.UnitId,
        };
        await Insert(For(typeof(AuditEntry)), entry, ct);
    }

    /// <summary>The most statements queued before they are sent anyway: a batch's commands and their parameters are held
    /// until sent (an import's thousand rows with their entries took the server's peak from 274 to 411 MB).</summary>
    public const int MaxBatch = 500;

    private Task Insert(Statement statement, object record, CancellationToken ct)
    {
        if (batch is null) return statement.ExecuteAsync(record, ct);
        statement.Queue(record, batch);
        return batch.BatchCommands.Count >= MaxBatch ? FlushAsync(ct) : Task.CompletedTask;
    }

    /// <summary>
    /// Inserts many records of one type, several rows to a statement on the servers, skipping any whose
    /// <paramref name="uniqueColumn"/> value is already stored (ON CONFLICT DO NOTHING; on SQL Server NOT EXISTS under a
    /// key-range lock), and writes no audit entries: the caller audits the batch. Returns how many rows were added.
    /// The records should not repeat a unique value among themselves.
    /// </summary>
    public async Task<int> InsertNewAsync<T>(IReadOnlyList<T> records, string uniqueColumn, CancellationToken ct) where T : class
    {
        var added = 0;
        // SQLite binds parameters by name, each found by a scan of the statement's names: a wide statement costs the
        // square of its parameters (500 rows were 10× slower than one), while one prepared row costs a step. The servers
        // pay a round trip per statement: many rows each, within SQL Server's 2,100 parameters.
        var size = Provider.Of(db).RowsPerInsert;
        for (var start = 0; start < records.Count; start += size)
        {
            var count = Math.Min(size, records.Count - start);
            var key = (typeof(T), count);
            if (!bulk.TryGetValue(key, out var statement))
                bulk[key] = statement = new Statement(db, db.Model.FindEntityType(typeof(T))!, count, uniqueColumn);
            added += await statement.ExecuteManyAsync(records, start, count, ct);
        }
        return added;
    }

    private readonly Dictionary<(Type, int), Statement> bulk = [];

    private Statement For(Type type)
    {
        if (!statements.TryGetValue(type, out var statement))
            statements[type] = statement = new Statement(db, db.Model.FindEntityType(type) ?? throw new ArgumentException($"{type.Name} is not mapped."));
        return statement;
    }

    /// <summary>The columns an insert writes, in order: all but a store-generated key (the audit log's sequence), as EF leaves it.</summary>
    private static List<IProperty> Inserted(IEntityType type)
    {
        var properties = type.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(long)))
            .ToList();
        if (properties.Any(p => p.IsShadowProperty())) throw new NotSupportedException($"{type.ClrType.Name} has shadow properties.");
        return properties;
    }

    /// <summary>
    /// The statement inserting <paramref name="rows"/> records of <paramref name="type"/> (parameters p0, p1, ... row by
    /// row) in the provider's dialect; with <paramref name="uniqueColumn"/>, skipping rows whose value there is stored.
    /// </summary>
    public static string Sql(DbContext db, IEntityType type, int rows, string? uniqueColumn)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = Inserted(type);
        var names = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())).ToList();
        var tuples = Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", properties.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + (r * properties.Count + i)))) + ")");
        var table = sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());
        var list = string.Join(", ", names);
        if (uniqueColumn is null)
            return $"INSERT INTO {table} ({list}) VALUES {string.Join(", ", tuples)}";
        var unique = sql.DelimitIdentifier(uniqueColumn);
        return Provider.Of(db).InsertNew(table, list, string.Join(", ", tuples), unique);
    }

    public void Dispose()
    {
        batch?.Dispose();
        foreach (var statement in statements.Values) statement.Dispose();
        foreach (var statement in bulk.Values) statement.Dispose();
    }

    private sealed class Statement : IDisposable
    {
        private readonly DbCommand command;
        private readonly (IProperty Property, DbParameter Parameter, Func<object?, object?>? Convert, int Size)[] columns;
        private readonly IProperty[] key;
        private bool prepared;

        public IEntityType Type { get; }

        public Statement(FleetDbContext db, IEntityType type, int rows = 1, string? uniqueColumn = null)
        {
            Type = type;
            key = [.. type.FindPrimaryKey()!.Properties];
            var properties = Inserted(type);
            command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            var sql = db.GetService<ISqlGenerationHelper>();
            columns = new (IProperty, DbParameter, Func<object?, object?>?, int)[properties.Count * rows];
            for (var r = 0; r < rows; r++)
                for (var i = 0; i < properties.Count; i++)
                {
                    var property = properties[i];
                    var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
                    var parameter = mapping.CreateParameter(command, sql.GenerateParameterName("p" + (r * properties.Count + i)), null, property.IsNullable);
                    command.Parameters.Add(parameter);
                    var converter = mapping.Converter;
                    // The size a provider gave a text parameter (SQL Server: the column's length, 4000 for max) is kept for
                    // values that fit; a longer one is sent whole (-1), for the database to store or refuse as EF's would be.
                    columns[r * properties.Count + i] = (property, parameter, converter is null ? null : converter.ConvertToProvider, parameter.Size);
                }
            width = properties.Count;
            command.CommandText = Sql(db, type, rows, uniqueColumn);
        }

        private readonly int width;

        /// <summary>Inserts <paramref name="count"/> records from <paramref name="start"/> in one statement; returns the rows added.</summary>
        public async Task<int> ExecuteManyAsync<T>(IReadOnlyList<T> records, int start, int count, CancellationToken ct) where T : class
        {
            Bind(records, start, count);
            try
            {
                // Prepared with the first rows' values (SQL Server and Npgsql want the parameters' types and sizes then).
                if (!prepared)
                {
                    await command.PrepareAsync(ct);
                    prepared = true;
                }
                return await command.ExecuteNonQueryAsync(ct);
            }
            catch (DbException e)
            {
                // As SaveChanges reports it, so a unique index lost to a concurrent write is a 409 like any other.
                throw new DbUpdateException($"Inserting {Type.ClrType.Name} rows failed: {e.Message}", e);
            }
        }

        /// <summary>Adds the record's insert to the batch: the statement with copies of its parameters, bound to the record.</summary>
        public void Queue(object record, DbBatch batch)
        {
            Bind([record], 0, 1);
            var queued = batch.CreateBatchCommand();
            queued.CommandText = command.CommandText;
            foreach (DbParameter parameter in command.Parameters) queued.Parameters.Add(((ICloneable)parameter).Clone());
            batch.BatchCommands.Add(queued);
        }

        private void Bind<T>(IReadOnlyList<T> records, int start, int count) where T : class
        {
            for (var r = 0; r < count; r++)
                for (var i = 0; i < width; i++)
                {
                    var (property, parameter, convert, size) = columns[r * width + i];
                    var value = property.GetGetter().GetClrValueUsingContainingEntity(records[start + r]);
                    if (value is not null && convert is not null) value = convert(value);
                    parameter.Value = value ?? DBNull.Value;
                    if (size > 0) parameter.Size = value is string text && text.Length > size ? -1 : size;
                }
        }

        public Task ExecuteAsync(object record, CancellationToken ct) => ExecuteManyAsync([record], 0, 1, ct);

        /// <summary>The entity id an audit entry names, as the interceptor writes it.</summary>
        public string Key(object record) => AuditShape.EntityId(key.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(record)));

        public void Dispose() => command.Dispose();
    }
}
