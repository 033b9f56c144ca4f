namespace Fleet.Data.Entities;

public class User : IVersioned
{
    public Guid Id { get; set; } = Ids.New();
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    public Guid? UnitId { get; set; }
    public bool Disabled { get; set; }
    public string? DisplayName { get; set; }
    public string? Phone { get; set; }
    public DateTime? LastSignInAt { get; set; }
    /// <summary>Changes whenever the tokens issued so far must stop working: deactivation, a new role or unit, a new password.</summary>
    public string SecurityStamp { get; set; } = NewStamp();
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }

    public static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>A sign-in attempt the throttle counts: failures per username and address, and per address; successes per username and address.</summary>
public class SignInAttempt
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public DateTime At { get; set; }
}
