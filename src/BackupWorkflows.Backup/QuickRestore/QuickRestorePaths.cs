namespace BackupWorkflows.Backup.QuickRestore;

/// <summary>Where a quick restore puts its overlay on primary storage.</summary>
public static class QuickRestorePaths
{
    /// <summary>The new overlay next to the disk's base image. Its name is deliberately not a
    /// backup delta's (<c>.bwf-…</c>), so the chain rules treat it as the disk's own base once pulled.</summary>
    public static string Overlay(string primaryBasePath, Guid backupId) =>
        $"{Prefix(primaryBasePath)}{backupId.ToString("N")[..12]}";

    /// <summary>What every quick-restore image made from <paramref name="primaryBasePath"/> starts with.</summary>
    public static string Prefix(string primaryBasePath) => $"{primaryBasePath}.qr-";
}
