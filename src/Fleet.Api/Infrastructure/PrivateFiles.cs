namespace Fleet.Api.Infrastructure;

/// <summary>
/// The data directory holds the password hashes, the signing key, the audit trail, photos and archived reports: on Unix
/// Fleet creates its directories 0700 and its files 0600 from the start (not tightened afterwards, which would leave a
/// moment when another local user could open them), whatever the umask. SQLite creates the -wal and -shm files with the
/// database file's permissions, so the database file is made 0600 before SQLite first opens it. On Windows the files
/// inherit the folder's ACL, as before.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory, and each missing parent, 0700; one that exists is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(path)) return;
        if (Path.GetDirectoryName(path) is { } parent) CreateDirectory(parent);
        Directory.CreateDirectory(path, DirectoryMode);
    }

    /// <summary>A new file only Fleet reads (0600 on Unix), opened for writing.</summary>
    public static FileStream Create(string path, System.IO.FileMode mode = System.IO.FileMode.CreateNew, FileAccess access = FileAccess.Write,
        FileShare share = FileShare.None, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var stream = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows()) stream.UnixCreateMode = FileMode;
        return new FileStream(path, stream);
    }

    /// <summary>
    /// Start-up: a directory an earlier Fleet made 0755 becomes 0700, and the files directly in it 0600 (the database and
    /// its -wal and -shm, the keys); what lies deeper is out of other users' reach once the directory is 0700.
    /// </summary>
    public static void Tighten(string directory)
    {
        CreateDirectory(directory);
        if (OperatingSystem.IsWindows()) return;
        if ((File.GetUnixFileMode(directory) & ~DirectoryMode) != 0) File.SetUnixFileMode(directory, DirectoryMode);
        foreach (var file in Directory.EnumerateFiles(directory)) TightenFile(file);
    }

    /// <summary>
    /// The SQLite database file exists, 0600, before SQLite opens it (an empty file is an empty database), so the -wal and
    /// -shm files SQLite makes beside it are 0600 too; an existing one is tightened with them.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            try
            {
                using var _ = Create(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made by another start at the same moment: tightened below like any existing one.
            }
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (File.Exists(file)) TightenFile(file);
    }

    private static void TightenFile(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        if ((File.GetUnixFileMode(file) & ~FileMode) != 0) File.SetUnixFileMode(file, FileMode);
    }
}
