namespace Fleet.Data.Entities;

public class User : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    public Guid? UnitId { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }
}
