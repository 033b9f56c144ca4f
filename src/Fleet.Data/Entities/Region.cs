namespace Fleet.Data.Entities;

public enum RegionLevel { Province, City, County }

/// <summary>The three-colour warning (三色预警) of a roll-up row.</summary>
public enum Warning { Green, Yellow, Red }

/// <summary>
/// A level of government by its GB/T 2260 code (370000 山东省 → 370100 济南市 → 370102 历下区). The code is the region's
/// place in the tree: a region's subtree is a range of codes (<see cref="RegionScope"/>), so units, users, schedules and
/// campaigns carry their region's code beside its id and a subtree is read by one indexed range, never by walking.
/// Codes never change (only the name does), so the copies never go stale.
/// </summary>
public class Region : IVersioned
{
    public Guid Id { get; set; } = Ids.New();
    public int Code { get; set; }
    [MaxLength(100)]
    public required string Name { get; set; }
    public RegionLevel Level { get; set; }
    public Guid? ParentId { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>The six digits as people write them.</summary>
    public string CodeText => Code.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The codes of one region's subtree, [<see cref="Low"/>, <see cref="High"/>], and of its ancestors (whose schedules and
/// campaigns cover it). A province xx0000 spans xx0000–xx9999, a city xxxx00 spans xxxx00–xxxx99, a county itself.
/// </summary>
public readonly record struct RegionScope(int Code, RegionLevel Level)
{
    public int Low => Code;
    public int High => Level switch { RegionLevel.Province => Code + 9999, RegionLevel.City => Code + 99, _ => Code };
    public int ProvinceCode => Code / 10000 * 10000;
    public int CityCode => Code / 100 * 100;

    public bool Contains(int code) => code >= Low && code <= High;

    /// <summary>True when a record of <paramref name="code"/> covers this region: the region itself or one above it.</summary>
    public bool IsCoveredBy(int code) => code == ProvinceCode || code == CityCode || code == Code;

    /// <summary>The subtree of a code, at the level its digits say.</summary>
    public static RegionScope Of(int code) => new(code, LevelOf(code));

    /// <summary>The subtree of a region.</summary>
    public static RegionScope Of(Region region) => new(region.Code, region.Level);

    /// <summary>The level a code's digits say: xx0000 a province, xxxx00 a city, anything else a county.</summary>
    public static RegionLevel LevelOf(int code) => code % 10000 == 0 ? RegionLevel.Province : code % 100 == 0 ? RegionLevel.City : RegionLevel.County;

    /// <summary>A six-digit code that can head a region: 110000–829999, not 0.</summary>
    public static bool IsCode(int code) => code is >= 110000 and <= 829999;

    /// <summary>True when <paramref name="child"/> may sit directly below <paramref name="parent"/>: one level down, inside its range.</summary>
    public static bool MayHold(Region parent, int child, RegionLevel level) =>
        Of(parent).Contains(child) && child != parent.Code && level > parent.Level && level == LevelOf(child);
}
