namespace Fleet.Api.Infrastructure;

/// <summary>The "Fleet" configuration section.</summary>
public class FleetOptions
{
    public string DataDirectory { get; set; } = "data";
    public string? AdminPassword { get; set; }
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public SeedOptions Seed { get; set; } = new();
    public JwtOptions Jwt { get; set; } = new();
    public StandardsOptions Standards { get; set; } = new();
    public SignInOptions SignIn { get; set; } = new();
    public WebOptions Web { get; set; } = new();
    public RegionOptions Region { get; set; } = new();
    public WarningOptions Warnings { get; set; } = new();
    /// <summary>Largest request body accepted, in bytes (413 beyond).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public string DataPath => Path.GetFullPath(DataDirectory);
}

/// <summary>The root region made on first start (GB/T 2260 code and name).</summary>
public class RegionOptions
{
    public string Code { get; set; } = "370100";
    public string Name { get; set; } = "济南市";
}

/// <summary>The thresholds of the three-colour warning (三色预警) on every roll-up row.</summary>
public class WarningOptions
{
    /// <summary>A seal-up rate below this (percent) is red.</summary>
    public decimal RedSealUpBelow { get; set; } = 80m;
    /// <summary>A seal-up rate below this (percent) is yellow.</summary>
    public decimal YellowSealUpBelow { get; set; } = 95m;
    /// <summary>A violation open this many days without an action against a person is yellow.</summary>
    public int YellowOpenDaysWithoutAction { get; set; } = 30;
}

public class SeedOptions
{
    /// <summary>Null means the provider's default: on with SQLite, off with SQL Server.</summary>
    public bool? Demo { get; set; }
}

public class JwtOptions
{
    public string Issuer { get; set; } = "fleet";
    public string Audience { get; set; } = "fleet-api";
    /// <summary>At least 32 bytes. When absent, the embedded default generates one into the data directory.</summary>
    public string? SigningKey { get; set; }
    public int LifetimeMinutes { get; set; } = 480;
}

public class StandardsOptions
{
    public decimal GeneralMaxDisplacement { get; set; } = 1.8m;
    public decimal GeneralMaxPrice { get; set; } = 180_000m;
}

public class SignInOptions
{
    /// <summary>Failures for one username from one address before that username is held back there.</summary>
    public int MaxFailuresPerUser { get; set; } = 5;
    /// <summary>Failures from one address before it is held back, for usernames not known to sign in there.</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;
    public int WindowMinutes { get; set; } = 15;
    /// <summary>How long a successful sign-in makes an address known for that username.</summary>
    public int KnownAddressDays { get; set; } = 90;
}

public class WebOptions
{
    /// <summary>A page session ends after this many minutes without a request.</summary>
    public int IdleMinutes { get; set; } = 30;
    /// <summary>How many plates of an inspector's scope the phone keeps for completing a plate without signal.</summary>
    public int OfflinePlates { get; set; } = 50_000;
}
