using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// A block of rows as the database gave them: every cell the UTF-8 text of its value, or nothing for NULL. On SQLite
/// those are the bytes the engine holds (a million rows read into no .NET string and through no conversion on the
/// reading thread); elsewhere the provider's values are written in the same forms (<see cref="RawRowReader"/>).
/// </summary>
public sealed class RawRows(int columns)
{
    private byte[] bytes = new byte[1 << 15];
    private int used;
    // Per cell: where its bytes start and how many there are; -1 for NULL.
    private int[] starts = new int[columns * 64];
    private int[] lengths = new int[columns * 64];
    private int cell;

    public int Count => cell / columns;

    public RawRow this[int row] => new(this, row * columns);

    public void Clear() => used = cell = 0;

    public void Null() => Put(-1);

    public void Add(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Room(utf8.Length));
        Put(utf8.Length);
    }

    /// <summary>Room for a cell of at most <paramref name="most"/> bytes; <see cref="Commit"/> says how many it took.</summary>
    public Span<byte> Room(int most)
    {
        if (used + most > bytes.Length) Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + most));
        return bytes.AsSpan(used, most);
    }

    public void Commit(int length) => Put(length);

    private void Put(int length)
    {
        if (cell == starts.Length)
        {
            Array.Resize(ref starts, starts.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }
        starts[cell] = used;
        lengths[cell++] = length;
        if (length > 0) used += length;
    }

    internal bool IsNull(int at) => lengths[at] < 0;

    internal ReadOnlySpan<byte> Cell(int at) => lengths[at] <= 0 ? default : bytes.AsSpan(starts[at], lengths[at]);
}

/// <summary>One row of a <see cref="RawRows"/> block: its cells by position, in the order of the query's projection.</summary>
public readonly struct RawRow(RawRows block, int first)
{
    public bool IsNull(int column) => block.IsNull(first + column);

    public ReadOnlySpan<byte> Utf8(int column) => block.Cell(first + column);

    /// <summary>The cell as a .NET string, for the few cells that need one; null for NULL.</summary>
    public string? String(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(Utf8(column));

    public Guid Guid(int column) => System.Guid.Parse(Utf8(column));

    /// <summary>An instant as stored (yyyy-MM-dd HH:mm:ss with up to seven decimals, as EF writes it on SQLite), UTC; null for NULL.</summary>
    public DateTime? Utc(int column) => IsNull(column) ? null : RawTime.Parse(Utf8(column));

    /// <summary>An enum stored by its name, read as EF's converter reads it: the name in any case, an unknown one as the default.</summary>
    public TEnum Enum<TEnum>(int column) where TEnum : struct, Enum => RawEnum<TEnum>.Parse(Utf8(column));
}

/// <summary>Stored instants read from their text on SQLite as Microsoft.Data.Sqlite reads them, the common form fast.</summary>
public static class RawTime
{
    public const string Format = "yyyy'-'MM'-'dd HH':'mm':'ss'.'fffffff";

    public static DateTime Parse(ReadOnlySpan<byte> t)
    {
        if (!Plain(t)) return Other(t);
        var value = new DateTime(Digits(t, 0, 4), Digits(t, 5, 2), Digits(t, 8, 2), Digits(t, 11, 2), Digits(t, 14, 2), Digits(t, 17, 2), DateTimeKind.Utc);
        if (t.Length > 20)
        {
            var fraction = t[20..];
            var n = Math.Min(fraction.Length, 7);
            long ticks = Digits(fraction, 0, n);
            for (var i = n; i < 7; i++) ticks *= 10;
            value = value.AddTicks(ticks);
        }
        return value;
    }

    /// <summary>The form EF writes: yyyy-MM-dd HH:mm:ss (or a T between), then nothing or a point and digits only.</summary>
    private static bool Plain(ReadOnlySpan<byte> t) =>
        t.Length >= 19 && t[4] == '-' && t[7] == '-' && (t[10] == ' ' || t[10] == 'T') && t[13] == ':' && t[16] == ':'
        && (t.Length == 19 || (t.Length > 20 && t[19] == '.' && !t[20..].ContainsAnyExceptInRange((byte)'0', (byte)'9')));

    /// <summary>
    /// Any other form Microsoft.Data.Sqlite reads as a date: with a zone or an offset (turned into UTC), or a Julian day
    /// number. What is none of these fails as EF's reader would.
    /// </summary>
    private static DateTime Other(ReadOnlySpan<byte> t)
    {
        var text = Encoding.UTF8.GetString(t);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var julian))
            return DateTime.SpecifyKind(DateTime.FromOADate(julian - 2415018.5), DateTimeKind.Utc);
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    private static int Digits(ReadOnlySpan<byte> s, int at, int n)
    {
        var v = 0;
        for (var i = at; i < at + n; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) throw new FormatException($"Not a stored time: \"{Encoding.UTF8.GetString(s)}\".");
            v = v * 10 + d;
        }
        return v;
    }
}

internal static class RawEnum<TEnum> where TEnum : struct, Enum
{
    private static readonly (byte[] Name, TEnum Value)[] Names = [.. System.Enum.GetValues<TEnum>().Select(v => (Encoding.UTF8.GetBytes(v.ToString()), v))];

    public static TEnum Parse(ReadOnlySpan<byte> utf8)
    {
        foreach (var (name, value) in Names)
            if (utf8.SequenceEqual(name)) return value;
        return StoredEnums.Read<TEnum>(Encoding.UTF8.GetString(utf8));
    }
}

/// <summary>
/// Reads the rows of the statement EF made for a query into <see cref="RawRows"/> blocks. SQLite: the statement is
/// prepared and stepped on the context's own connection by SQLitePCL's native calls, each cell copied as the engine's
/// UTF-8. Other providers: the command EF made, its values written as SQLite would hold them.
/// </summary>
public sealed class RawRowReader : IAsyncDisposable
{
    private readonly FleetDbContext db;
    private readonly sqlite3_stmt? stmt;
    private readonly sqlite3? handle;
    private readonly DbDataReader? reader;
    private readonly DbCommand command;
    private bool done;
    private Type[]? types;

    public int Columns { get; }

    private RawRowReader(FleetDbContext db, DbCommand command, sqlite3_stmt? stmt, sqlite3? handle, DbDataReader? reader, int columns) =>
        (this.db, this.command, this.stmt, this.handle, this.reader, Columns) = (db, command, stmt, handle, reader, columns);

    /// <summary>Opens the query's statement. Its columns must be the projection's members, in order (<paramref name="names"/>).</summary>
    public static async Task<RawRowReader> OpenAsync(FleetDbContext db, IQueryable rows, IReadOnlyList<string> names, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        DbCommand? command = null;
        try
        {
            command = rows.CreateDbCommand();
            if (command.Connection is SqliteConnection { Handle: { } handle })
            {
                // The scope's filters as every SQLite statement has them (see ScopeFilterSql).
                ScopeFilterSql.Rewrite(command);
                var rc = raw.sqlite3_prepare_v2(handle, command.CommandText, out var stmt);
                if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
                try
                {
                    // Every parameter of the statement bound, or none of the rows: Microsoft.Data.Sqlite refuses a statement
                    // with one left unbound, where SQLite alone would read it as NULL (an empty report, said by no one).
                    var bound = new HashSet<int>();
                    foreach (DbParameter parameter in command.Parameters) Bind(handle, stmt, (SqliteParameter)parameter, bound);
                    if (bound.Count != raw.sqlite3_bind_parameter_count(stmt))
                        throw new InvalidOperationException($"The report's statement has {raw.sqlite3_bind_parameter_count(stmt)} parameters; {bound.Count} were bound.");
                    var columns = raw.sqlite3_column_count(stmt);
                    Check(names, Enumerable.Range(0, columns).Select(c => raw.sqlite3_column_name(stmt, c).utf8_to_string()).ToList());
                    return new RawRowReader(db, command, stmt, handle, null, columns);
                }
                catch
                {
                    stmt.Dispose();
                    throw;
                }
            }
            var reader = await command.ExecuteReaderAsync(ct);
            Check(names, Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList());
            return new RawRowReader(db, command, null, null, reader, reader.FieldCount)
            {
                types = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType)],
            };
        }
        catch
        {
            if (command is not null) await command.DisposeAsync();
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    private static void Check(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (!expected.SequenceEqual(actual, StringComparer.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The statement's columns ({string.Join(", ", actual)}) are not the projection's ({string.Join(", ", expected)}).");
    }

    /// <summary>A parameter bound as Microsoft.Data.Sqlite binds it, for the types EF's SQLite mappings give.</summary>
    private static void Bind(sqlite3 handle, sqlite3_stmt stmt, SqliteParameter parameter, HashSet<int> bound)
    {
        var name = parameter.ParameterName.StartsWith('@') || parameter.ParameterName.StartsWith('$') || parameter.ParameterName.StartsWith(':')
            ? parameter.ParameterName : "@" + parameter.ParameterName;
        var index = raw.sqlite3_bind_parameter_index(stmt, name);
        if (index == 0) return;
        bound.Add(index);
        var value = parameter.Value is Enum e ? Convert.ChangeType(e, e.GetTypeCode(), CultureInfo.InvariantCulture) : parameter.Value;
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(stmt, index),
            string s => raw.sqlite3_bind_text(stmt, index, s),
            bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
            ulong u => raw.sqlite3_bind_int64(stmt, index, unchecked((long)u)),
            long or int or short or byte or sbyte or ushort or uint => raw.sqlite3_bind_int64(stmt, index, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            char c => raw.sqlite3_bind_text(stmt, index, c.ToString()),
            double or float => raw.sqlite3_bind_double(stmt, index, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            DateTimeOffset o => raw.sqlite3_bind_text(stmt, index, o.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture)),
            decimal d => raw.sqlite3_bind_text(stmt, index, d.ToString("0.0###########################", CultureInfo.InvariantCulture)),
            DateTime t => raw.sqlite3_bind_text(stmt, index, t.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture)),
            DateOnly d => raw.sqlite3_bind_text(stmt, index, d.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)),
            Guid g when parameter.SqliteType != SqliteType.Blob => raw.sqlite3_bind_text(stmt, index, g.ToString().ToUpperInvariant()),
            Guid g => raw.sqlite3_bind_blob(stmt, index, g.ToByteArray()),
            byte[] b => raw.sqlite3_bind_blob(stmt, index, b),
            _ => throw new NotSupportedException($"A report's parameter of type {value.GetType().Name} ({parameter.ParameterName})."),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
    }

    /// <summary>Fills <paramref name="block"/> with up to <paramref name="most"/> rows; false when none were left.</summary>
    public async ValueTask<bool> ReadAsync(RawRows block, int most, CancellationToken ct)
    {
        block.Clear();
        ct.ThrowIfCancellationRequested();
        if (stmt is not null)
        {
            Step(stmt, block, most);
            return block.Count > 0;
        }
        for (var n = 0; n < most && await reader!.ReadAsync(ct); n++)
            Copy(reader, types!, block);
        return block.Count > 0;
    }

    /// <summary>
    /// SQLite's rows into the block. Optimised from its first call: a million rows go through this loop within seconds
    /// of a server's start, before tiered compilation would have replaced its first, unoptimised code (measured: the
    /// first report 2 s slower).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Step(sqlite3_stmt statement, RawRows block, int most)
    {
        // A statement stepped again after its last row starts over: it is stepped no more once done.
        for (var n = 0; n < most && !done; n++)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_DONE)
            {
                done = true;
                break;
            }
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, handle);
            for (var c = 0; c < Columns; c++)
            {
                var cell = raw.sqlite3_column_blob(statement, c);
                if (cell.Length == 0 && raw.sqlite3_column_type(statement, c) == raw.SQLITE_NULL) block.Null();
                else block.Add(cell);
            }
        }
    }

    /// <summary>
    /// A provider's row in the forms SQLite holds its values: text as UTF-8, instants as yyyy-MM-dd HH:mm:ss.fffffff,
    /// numbers in digits. Each value read by its column's type (no boxing); the rows are buffered whole by the reader.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Copy(DbDataReader reader, Type[] types, RawRows block)
    {
        for (var c = 0; c < types.Length; c++)
        {
            if (reader.IsDBNull(c))
            {
                block.Null();
                continue;
            }
            var type = types[c];
            int n;
            if (type == typeof(string))
            {
                var s = reader.GetString(c);
                n = Encoding.UTF8.GetBytes(s, block.Room(Encoding.UTF8.GetMaxByteCount(s.Length)));
            }
            else if (type == typeof(DateTime)) reader.GetDateTime(c).TryFormat(block.Room(32), out n, RawTime.Format, CultureInfo.InvariantCulture);
            else if (type == typeof(Guid)) reader.GetGuid(c).TryFormat(block.Room(36), out n, default);
            else if (type == typeof(long)) reader.GetInt64(c).TryFormat(block.Room(20), out n, default, CultureInfo.InvariantCulture);
            else if (type == typeof(int)) reader.GetInt32(c).TryFormat(block.Room(11), out n, default, CultureInfo.InvariantCulture);
            else if (type == typeof(bool))
            {
                block.Add(reader.GetBoolean(c) ? "1"u8 : "0"u8);
                continue;
            }
            else if (reader.GetValue(c) is IUtf8SpanFormattable value) value.TryFormat(block.Room(64), out n, default, CultureInfo.InvariantCulture);
            else throw new NotSupportedException($"A report's column of type {type.Name}.");
            block.Commit(n);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            stmt?.Dispose();
            if (reader is not null) await reader.DisposeAsync();
            await command.DisposeAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
