namespace Fleet.Data.Auditing;

/// <summary>Who is making the change now: the signed-in user, or a job's name.</summary>
public interface IAuditActor
{
    string Name { get; }
}
