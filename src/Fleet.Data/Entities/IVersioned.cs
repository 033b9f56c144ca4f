namespace Fleet.Data.Entities;

/// <summary>An app-managed optimistic concurrency token: portable, unlike rowversion, which SQLite lacks.</summary>
public interface IVersioned
{
    int Version { get; set; }
}
