using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// What differs between SQLite, PostgreSQL and SQL Server, one class each behind this one seam: SQL fragments of the
/// set-based statements, how many rows a statement or a transaction takes, which counts a trigger keeps. Features ask
/// <see cref="Of"/> for the provider's answer instead of branching on the provider themselves.
/// </summary>
public abstract class Provider
{
    public static Provider Of(DbContext db) => db.Database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServerProvider.Instance,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => PostgreSqlProvider.Instance,
        _ => SqliteProvider.Instance,
    };

    /// <summary>A new GUID per row of an INSERT ... SELECT (see <see cref="SetBased.NewId"/>).</summary>
    public abstract string NewId(string uniqueNumber);

    /// <summary>A Guid column as the lower-case text the API shows and audit entries record.</summary>
    public virtual string IdText(string column) => $"LOWER(CAST({column} AS nvarchar(36)))";

    /// <summary>A boolean literal: SQLite (1 and 0) and PostgreSQL take TRUE and FALSE.</summary>
    public virtual string Bool(bool value) => value ? "TRUE" : "FALSE";

    /// <summary>A statement written with [bracketed] names, in this provider's quoting.</summary>
    public virtual string Quoted(string sql) => sql;

    /// <summary>Rows to one multi-row INSERT: the servers pay a round trip per statement.</summary>
    public virtual int RowsPerInsert => 500;

    /// <summary>Rows to one audited part of an import (SQLite: one transaction per file, see UsageRules).</summary>
    public virtual int RowsPerPart(int configured) => Math.Max(1, configured);

    /// <summary>
    /// Whether a group of inserts is sent as one batch (ADO.NET's DbBatch): PostgreSQL, where each statement is a round
    /// trip. SQLite runs in the process; SQL Server's batches are not run here, so it keeps a statement per row.
    /// </summary>
    public virtual bool BatchesInserts => false;

    /// <summary>Whether triggers keep the seal-up counts per schedule and unit (SealOrderCounts).</summary>
    public virtual bool KeepsSealOrderCounts => false;

    /// <summary>Whether triggers keep the vehicles and violations per unit (VehicleCounts, ViolationCounts).</summary>
    public virtual bool KeepsUnitCounts => false;

    /// <summary>The transaction of a set-based step that audits the rows it is about to change (see SetBased.BeginStableAsync).</summary>
    public virtual Task<IDbContextTransaction> BeginStableAsync(DbContext db, CancellationToken ct) =>
        db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

    /// <summary>
    /// What a set-based statement adds to read rows it must keep as read until its transaction ends (the vehicles a
    /// publish gives orders to: a disposal waits, then sees the orders). A table hint after the table's alias (SQL
    /// Server) and a clause at the statement's end (PostgreSQL); SQLite's one writer needs neither.
    /// </summary>
    public virtual (string TableHint, string Clause) HoldRead(string alias) => ("", "");

    /// <summary>INSERT of the rows whose <paramref name="unique"/> value is not yet stored.</summary>
    public virtual string InsertNew(string table, string columns, string values, string unique) =>
        $"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({unique}) DO NOTHING";
}

public sealed class SqliteProvider : Provider
{
    public static readonly SqliteProvider Instance = new();

    /// <summary>
    /// Upper-case text, as EF stores Guid keys here; the ids share a fresh time-ordered prefix and end in the row's
    /// number, so a million inserts append to the primary-key index instead of scattering over it.
    /// </summary>
    public override string NewId(string uniqueNumber) =>
        $"('{Guid.CreateVersion7().ToString("D").ToUpperInvariant()[..24]}' || printf('%012X', {uniqueNumber}))";

    /// <summary>SQLite binds parameters by name, each found by a scan: a wide statement costs the square of its parameters.</summary>
    public override int RowsPerInsert => 1;

    /// <summary>One transaction per file: commits in parts copied the indexes back each time (2× slower).</summary>
    public override int RowsPerPart(int configured) => int.MaxValue;

    public override bool KeepsSealOrderCounts => true;

    public override bool KeepsUnitCounts => true;

    /// <summary>SQLite's writer holds the database from the first write: no isolation level to ask for.</summary>
    public override Task<IDbContextTransaction> BeginStableAsync(DbContext db, CancellationToken ct) => db.Database.BeginTransactionAsync(ct);
}

public sealed class PostgreSqlProvider : Provider
{
    public static readonly PostgreSqlProvider Instance = new();

    public override string NewId(string uniqueNumber) => "gen_random_uuid()";

    public override string IdText(string column) => $"CAST({column} AS text)";

    public override bool BatchesInserts => true;

    /// <summary>PostgreSQL quotes names "so" (its statements never hold a bracket otherwise).</summary>
    public override string Quoted(string sql) => sql.Replace('[', '"').Replace(']', '"');

    /// <summary>Row locks on what was read: a concurrent update waits, and one committed meanwhile is read again (or, under repeatable read, retried).</summary>
    public override (string TableHint, string Clause) HoldRead(string alias) => ("", $"FOR SHARE OF {alias}");
}

public sealed class SqlServerProvider : Provider
{
    public static readonly SqlServerProvider Instance = new();

    public override string NewId(string uniqueNumber) => SetBased.SqlServerSequentialId();

    /// <summary>SQL Server's bit has no TRUE.</summary>
    public override string Bool(bool value) => value ? "1" : "0";

    /// <summary>Within SQL Server's 2,100 parameters a statement.</summary>
    public override int RowsPerInsert => 100;

    /// <summary>Shared locks kept to the commit instead of released row by row.</summary>
    public override (string TableHint, string Clause) HoldRead(string alias) => ("WITH (REPEATABLEREAD)", "");

    /// <summary>No ON CONFLICT: NOT EXISTS under a key-range lock, so two imports of the same rows add each once.</summary>
    public override string InsertNew(string table, string columns, string values, string unique) =>
        $"INSERT INTO {table} ({columns}) SELECT {columns} FROM (VALUES {values}) AS v ({columns}) " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} x WITH (UPDLOCK, HOLDLOCK) WHERE x.{unique} = v.{unique})";
}
