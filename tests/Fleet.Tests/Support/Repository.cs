namespace Fleet.Tests.Support;

/// <summary>The clone the tests run in: files kept beside the code (docs/api.md, the generated client's snapshot).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fleet.sln"))) return dir.FullName;
        throw new InvalidOperationException("Fleet.sln not found above the test's folder.");
    }
}
