namespace BackupWorkflows.Testing;

/// <summary>The checkout the tests run from (the directory holding BackupWorkflows.sln).</summary>
public static class RepositoryRoot
{
    /// <summary>The first directory above the test assembly that holds BackupWorkflows.sln.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BackupWorkflows.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No BackupWorkflows.sln above {AppContext.BaseDirectory}");
    }
}
