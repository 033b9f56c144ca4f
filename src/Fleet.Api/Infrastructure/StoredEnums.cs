namespace Fleet.Api.Infrastructure;

/// <summary>Enums as the database stores them (by name, FleetDbContext's conventions), for reads made beside EF.</summary>
public static class StoredEnums
{
    /// <summary>A stored name read as EF's string converter reads it: in any case; a name it does not know is the default.</summary>
    public static T Read<T>(string stored) where T : struct, Enum => Enum.TryParse<T>(stored, ignoreCase: true, out var value) ? value : default;
}
