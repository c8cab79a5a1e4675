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
}
