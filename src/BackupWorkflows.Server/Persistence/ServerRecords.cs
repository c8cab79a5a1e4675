namespace BackupWorkflows.Server.Persistence;

/// <summary>An API key: only its SHA-256 is stored; the key itself is shown once when created.</summary>
public sealed class ApiKeyRecord
{
    /// <summary>Unique name (who or what uses the key).</summary>
    public required string Name { get; set; }

    /// <summary>viewer, operator or admin.</summary>
    public required string Role { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public required string KeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
