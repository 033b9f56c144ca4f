namespace Fleet.Data.Entities;

/// <summary>
/// A unit's vehicles in one state, kept by SQLite triggers with every insert, change and delete of a vehicle (written in
/// the migration UnitCounts): the roll-ups read a row per unit and state instead of counting a province's million cars.
/// The server databases count the cars from a covering index instead and leave this table empty.
/// </summary>
public class VehicleCount : IUnitOwned
{
    public Guid UnitId { get; set; }
    public VehicleStatus Status { get; set; }
    public int Vehicles { get; set; }
}

/// <summary>
/// A unit's violations of one type in one state and the actions against persons recorded on them, kept by SQLite
/// triggers on violations and actions as <see cref="VehicleCount"/> is.
/// </summary>
public class ViolationCount : IUnitOwned
{
    public Guid UnitId { get; set; }
    public ViolationStatus Status { get; set; }
    public ViolationType Type { get; set; }
    public int Violations { get; set; }
    public int Actions { get; set; }
}
