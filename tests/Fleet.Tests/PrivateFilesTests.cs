using System.Net;
using System.Net.Http.Json;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>
/// The data directory holds the password hashes, the signing key and the audit trail: other local users can read none of it,
/// whatever the umask (the test runs under 022, which made everything 0755/0644 before).
/// </summary>
public class PrivateFilesTests
{
    private const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_fresh_data_directory_its_database_photos_and_archive_are_for_fleets_user_only()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var fleet = await FleetFixture.StartAsync(new(FleetFactory.Embedded) { ["Fleet:Jwt:SigningKey"] = "" });
        var data = fleet.Factory.DataDirectory;
        await Client.Read(await fleet.As(As.Inspector).Http.PostAsync("/api/evidence",
            EvidenceTests.Upload(EvidenceTests.Photo(seed: 7), "seal.jpg", "SpotCheck", await EvidenceTests.SpotCheckOfA(fleet))), HttpStatusCode.Created);
        await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks",
            new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2026-12-20T02:00:00Z", location = "大院", finding = "PrivateUse" }), HttpStatusCode.Created);
        await fleet.Factory.RunReportArchive();

        Assert.True(File.Exists(Path.Combine(data, "fleet.db-wal")), "the database runs in WAL mode");
        Assert.Contains(System.IO.Directory.EnumerateFiles(Path.Combine(data, "evidence"), "*", SearchOption.AllDirectories), f => f.EndsWith(".thumb.jpg", StringComparison.Ordinal));
        Assert.NotEmpty(System.IO.Directory.EnumerateFiles(Path.Combine(data, "reports"), "*.xlsx", SearchOption.AllDirectories));
        AssertPrivate(data);
    }

    [Fact]
    public async Task An_existing_data_directory_left_open_by_an_earlier_fleet_is_closed_at_start_and_the_generated_password_was_never_readable()
    {
        if (OperatingSystem.IsWindows()) return;
        var settings = new Dictionary<string, string?>(FleetFactory.Embedded) { ["Fleet:AdminPassword"] = "", ["Fleet:Jwt:SigningKey"] = "" };
        using var first = new FleetFactory(null, settings) { KeepData = true };
        var data = first.DataDirectory;
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "not-the-password" })).StatusCode);
        AssertPrivate(data);
        first.Dispose();

        // As an earlier Fleet left it: everything readable by everyone.
        File.SetUnixFileMode(data, Directory0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in System.IO.Directory.EnumerateFiles(data)) File.SetUnixFileMode(file, File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var second = new FleetFactory(data, settings);
        var password = (await File.ReadAllTextAsync(Path.Combine(data, "admin-password.txt"))).Trim();
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password })).StatusCode);
        AssertPrivate(data);
    }

    /// <summary>Every directory 0700 and every file 0600, the directory itself and all below it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertPrivate(string data)
    {
        var open = new List<string>();
        if (File.GetUnixFileMode(data) != Directory0700) open.Add($"{data} {File.GetUnixFileMode(data)}");
        foreach (var dir in System.IO.Directory.EnumerateDirectories(data, "*", SearchOption.AllDirectories))
            if (File.GetUnixFileMode(dir) != Directory0700) open.Add($"{dir} {File.GetUnixFileMode(dir)}");
        foreach (var file in System.IO.Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            if (File.GetUnixFileMode(file) != File0600) open.Add($"{file} {File.GetUnixFileMode(file)}");
        foreach (var name in new[] { "fleet.db", "fleet.lock", "jwt-signing.key" }) Assert.True(File.Exists(Path.Combine(data, name)), name);
        Assert.True(open.Count == 0, "Readable by others:\n" + string.Join("\n", open));
    }
}
