namespace BackupWorkflows.Backup.Catalog;

/// <summary>Backup ids as activities receive them (strings from bindings).</summary>
public static class BackupIds
{
    /// <summary>Parses <paramref name="text"/>; a clear, non-retryable error when it is not a backup id.</summary>
    public static Guid Parse(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new BackupInputException($"'{text}' is not a backup id");
}

/// <summary>Bad input to a backup or restore (unknown VM, host, offering; unsupported disk): never retried.</summary>
public sealed class BackupInputException(string message)
    : BackupWorkflows.Engine.Activities.NonRetryableActivityException(message);
