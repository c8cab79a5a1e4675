using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Restores;

/// <summary>A backup to restore, checked: BackedUp, with every image of its chain present.</summary>
public sealed record RestoreSource(BackupRecord Backup, HostRecord HostRecord, HostSession Host)
{
    /// <summary>The volume with <paramref name="target"/>.</summary>
    /// <exception cref="BackupInputException">The backup has no such volume.</exception>
    public BackupVolume Volume(string target) =>
        Backup.Volumes.FirstOrDefault(v => v.Target == target)
        ?? throw new BackupInputException($"backup {Backup.Id} has no volume {target} (it has {string.Join(", ", Backup.Volumes.Select(v => v.Target))})");
}

/// <summary>Loads and checks what a restore reads.</summary>
public sealed class RestoreSourceLoader(BackupCatalog catalog, HostRegistry hostRegistry, HostConnections hosts)
{
    /// <summary>Loads the backup; a clear error when it cannot be restored.</summary>
    /// <param name="backupId">Backup id.</param>
    /// <param name="hostName">Host to restore on; null means the backup's own host.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<RestoreSource> LoadAsync(string backupId, string? hostName, CancellationToken ct)
    {
        var id = BackupIds.Parse(backupId);
        var backup = await catalog.GetAsync(id, ct);
        if (backup.State != BackupState.BackedUp)
            throw new BackupInputException($"backup {id} is {backup.State}; only BackedUp backups can be restored");
        var host = await hostRegistry.HostAsync(string.IsNullOrWhiteSpace(hostName) ? backup.HostName : hostName, ct);
        var session = hosts.SessionFor(host);
        foreach (var v in backup.Volumes)
        {
            var chain = await session.QemuImg.BackingChainAsync(v.ImagePath, forceShare: true, cancellationToken: ct);
            if (chain.Count < backup.ChainPosition && backup.Type == BackupType.Incremental)
                throw new BackupInputException($"the chain of backup {id} volume {v.Target} is broken: {chain.Count} images, expected {backup.ChainPosition}");
        }
        return new RestoreSource(backup, host, session);
    }
}
