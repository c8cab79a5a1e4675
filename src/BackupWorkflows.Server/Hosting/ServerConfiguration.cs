using Microsoft.Extensions.Configuration;

namespace BackupWorkflows.Server.Hosting;

/// <summary>Which database holds the engine's, the domain's, the server's and Quartz's tables.</summary>
public enum DatabaseKind
{
    /// <summary>One SQLite file in the data directory (the embedded default, one node).</summary>
    Sqlite,
    /// <summary>PostgreSQL; several server processes may share it.</summary>
    Postgres,
}

/// <summary>
/// The server's start-up settings, read from the command line (<c>--data</c>, <c>--database</c>,
/// <c>--connection</c>, <c>--node</c>, <c>--studio</c>) or the matching <c>BWF_</c> environment variables
/// (<c>BWF_DATA</c>, …); the command line wins.
/// </summary>
public sealed record ServerConfiguration
{
    /// <summary>Default listening address of the embedded default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Absolute data directory (SQLite file, initial admin key, default repository and staging).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>SQLite (default) or PostgreSQL.</summary>
    public DatabaseKind Database { get; init; }

    /// <summary>ADO.NET connection string of the database.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Id of this node for the engine's leases and Quartz's cluster; unique per process sharing a database.</summary>
    public required string NodeId { get; init; }

    /// <summary>Directory with the studio's built files (index.html), or null when none was found.</summary>
    public string? StudioDirectory { get; init; }

    /// <summary>How long a node owns an instance without renewing its lease (<c>--lease-seconds</c>, default 30):
    /// after a node dies, another resumes its instances once this has passed.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body accepted, in bytes (default 4 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message says which and why.</exception>
    public static ServerConfiguration From(IConfiguration configuration, string contentRoot)
    {
        var data = Path.GetFullPath(configuration["data"] is { Length: > 0 } d ? d : "data", Directory.GetCurrentDirectory());
        var database = (configuration["database"] ?? "sqlite").Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseKind.Sqlite,
            "postgres" or "postgresql" => DatabaseKind.Postgres,
            var other => throw new InvalidOperationException(
                $"--database must be 'sqlite' or 'postgres', not '{other}'."),
        };
        var connection = configuration["connection"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (database == DatabaseKind.Postgres)
            {
                throw new InvalidOperationException(
                    "--database postgres needs --connection 'Host=…;Port=…;Database=…;Username=…;Password=…'.");
            }
            connection = $"Data Source={Path.Combine(data, "bwf.db")}";
        }

        return new ServerConfiguration
        {
            DataDirectory = data,
            Database = database,
            ConnectionString = connection,
            NodeId = configuration["node"] is { Length: > 0 } n ? n : Environment.MachineName,
            StudioDirectory = FindStudio(configuration["studio"], contentRoot),
            LeaseDuration = TimeSpan.FromSeconds(double.TryParse(configuration["lease-seconds"] ?? configuration["leaseSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var lease) && lease >= 1 ? lease : 30),
            MaxRequestBodyBytes = long.TryParse(configuration["maxRequestBodyBytes"], out var max) && max > 0
                ? max : 4 * 1024 * 1024,
        };
    }

    /// <summary>The given directory, else the first <c>studio/dist</c> found upwards from the content root
    /// or the program's directory (so <c>dotnet run</c> from the repository finds it).</summary>
    private static string? FindStudio(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "studio", "dist");
                if (Directory.Exists(Path.Combine(dir.FullName, "studio"))) return candidate;
            }
        }
        return null;
    }
}
