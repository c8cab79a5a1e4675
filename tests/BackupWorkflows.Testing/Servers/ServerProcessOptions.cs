namespace BackupWorkflows.Testing.Servers;

/// <summary>How <see cref="ServerProcess.StartAsync"/> starts the server.</summary>
public sealed record ServerProcessOptions
{
    /// <summary>The server's data directory (<c>--data</c>; the server creates it).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The built studio to serve (<c>--studio</c>); null serves none (a directory that does not exist).</summary>
    public string? StudioDirectory { get; init; }

    /// <summary>Further arguments, e.g. <c>--database postgres --connection …</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables set for the process (e.g. <c>HOME</c> of a fresh machine).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Also wait until the server has written <c>initial-admin-key</c>. A single node always writes it;
    /// of several nodes on one database only the first does, so cluster tests leave this off.
    /// </summary>
    public bool WaitForAdminKey { get; init; }

    /// <summary>
    /// What <c>dotnet</c> runs before the server's own arguments: by default the server's DLL in the test's output;
    /// e.g. <c>[bwf.dll, "server"]</c> to start it through the CLI.
    /// </summary>
    public IReadOnlyList<string>? Launch { get; init; }

    /// <summary>The process's working directory (default: the test's output directory).</summary>
    public string? WorkingDirectory { get; init; }
}
