using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Validation;

/// <summary>Whether the image files a new incremental would build on are all still there.</summary>
public static class ChainPresence
{
    /// <summary>Why the chain ending in <paramref name="latest"/> cannot take an incremental (a
    /// missing image of it or of an ancestor), or null when every image exists.</summary>
    public static async Task<string?> FindMissingAsync(HostSession host, BackupCatalog catalog, BackupRecord? latest, CancellationToken ct)
    {
        for (var b = latest; b is not null; b = b.ParentId is { } pid ? await catalog.GetAsync(pid, ct) : null)
            foreach (var v in b.Volumes)
                if (!await host.Files.ExistsAsync(v.ImagePath, ct))
                    return $"the image {v.ImagePath} of backup {b.Id} ({v.Target}) is missing from the repository";
        return null;
    }
}
