namespace Fleet.Data.Entities;

public class User : IVersioned
{
    public Guid Id { get; set; } = Ids.New();
    [MaxLength(64)]
    public required string Username { get; set; }
    [MaxLength(256)]
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    public Guid? UnitId { get; set; }
    /// <summary>The region an Admin, Inspector or Auditor works at (null for a VehicleAdmin, bound to a unit).</summary>
    public Guid? RegionId { get; set; }
    public int? RegionCode { get; set; }
    public bool Disabled { get; set; }
    [MaxLength(64)]
    public string? DisplayName { get; set; }
    [MaxLength(32)]
    public string? Phone { get; set; }
    public DateTime? LastSignInAt { get; set; }
    /// <summary>Changes whenever the tokens issued so far must stop working: deactivation, a new role or unit, a new password.</summary>
    [MaxLength(32)]
    public string SecurityStamp { get; set; } = NewStamp();
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }

    public static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>A sign-in attempt the throttle counts: failures per username and address, and per address; successes per username and address.</summary>
public class SignInAttempt
{
    public long Id { get; set; }
    [MaxLength(200)]
    public required string Key { get; set; }
    public DateTime At { get; set; }
}

/// <summary>
/// A write sent with an <c>Idempotency-Key</c>: whose key, a hash of what was sent, and the first answer once there is
/// one (null <see cref="Status"/>: still being written). The same key again answers this answer and writes nothing.
/// Not a record of the mission: not audited, deleted after <c>Fleet:Idempotency:KeepHours</c>.
/// </summary>
public class IdempotentRequest
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    [MaxLength(128)]
    public required string Key { get; set; }
    /// <summary>SHA-256 of the method, the path and query, and the body (a form's fields and files), in hex.</summary>
    [MaxLength(64)]
    public required string RequestHash { get; set; }
    public DateTime StartedAt { get; set; }
    public int? Status { get; set; }
    [MaxLength(200)]
    public string? ContentType { get; set; }
    [MaxLength(2000)]
    public string? Location { get; set; }
    [MaxLength(100)]
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
}
