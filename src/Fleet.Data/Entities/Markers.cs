namespace Fleet.Data.Entities;

/// <summary>An app-managed optimistic concurrency token: portable, unlike rowversion, which SQLite lacks.</summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>A record that belongs to one unit; a VehicleAdmin sees only their own unit's.</summary>
public interface IUnitOwned
{
    Guid UnitId { get; }
}
