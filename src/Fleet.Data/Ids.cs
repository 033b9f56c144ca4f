namespace Fleet.Data;

/// <summary>
/// New record ids. On SQLite and PostgreSQL they are version-7 GUIDs: time-ordered as text and as uuid, so inserts
/// append to the primary-key index. SQL Server sorts a uniqueidentifier by its last six bytes first (then bytes 8–9,
/// 6–7, 4–5, 0–3), where a version-7 GUID keeps random bits: there the ids are laid out as EF Core's sequential GUIDs
/// are, an increasing counter (seeded from the clock) in the bytes SQL Server compares first.
/// </summary>
public static class Ids
{
    private static long counter = DateTime.UtcNow.Ticks;

    /// <summary>Set once at start by the database setup when the provider is SQL Server.</summary>
    public static bool SqlServerOrder { get; set; }

    public static Guid New() => SqlServerOrder ? SqlServerSequential() : Guid.CreateVersion7();

    /// <summary>
    /// Reserves <paramref name="count"/> values of the counter for ids made by one set-based statement (see
    /// <c>SetBased.NewId</c>); returns the value before the first. Ids made here afterwards sort after them.
    /// </summary>
    public static long Reserve(long count) => Interlocked.Add(ref counter, count) - count;

    /// <summary>A GUID that sorts after every one made before it in this process under SQL Server's comparison.</summary>
    public static Guid SqlServerSequential()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes);
        var next = Interlocked.Increment(ref counter);
        // Most significant first: bytes 10–15 hold the counter's high six bytes, 8–9 its low two.
        bytes[8] = (byte)(next >> 8);
        bytes[9] = (byte)next;
        bytes[10] = (byte)(next >> 56);
        bytes[11] = (byte)(next >> 48);
        bytes[12] = (byte)(next >> 40);
        bytes[13] = (byte)(next >> 32);
        bytes[14] = (byte)(next >> 24);
        bytes[15] = (byte)(next >> 16);
        return new Guid(bytes);
    }
}
