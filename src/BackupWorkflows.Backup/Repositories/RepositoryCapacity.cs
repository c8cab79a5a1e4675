using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Repositories;

/// <summary>A job that cannot fit in its repository fails before it writes anything.</summary>
public sealed class RepositoryCapacity(BackupDbContext db)
{
    /// <summary>Bytes held by the repository's backups that still have files.</summary>
    public async Task<long> UsedAsync(string repository, CancellationToken ct) =>
        (await db.Backups.Where(b => b.RepositoryName == repository && b.State != BackupState.Expunged)
            .Select(b => b.StoredSize).ToListAsync(ct)).Sum();

    /// <summary>Checks the configured capacity and the file system's free space.</summary>
    /// <exception cref="BackupInputException">Not enough room; the message gives the numbers.</exception>
    public async Task EnsureFitsAsync(BackupContext work, long bytes, CancellationToken ct)
    {
        var repo = work.Repository;
        if (repo.CapacityBytes > 0)
        {
            var used = await UsedAsync(repo.Name, ct);
            if (used + bytes > repo.CapacityBytes)
                throw new BackupInputException(
                    $"repository '{repo.Name}' cannot hold this backup: {bytes} bytes needed, {repo.CapacityBytes - used} of {repo.CapacityBytes} left");
        }
        var free = await work.Host.Files.FreeSpaceAsync(repo.Path, ct);
        if (bytes > free)
            throw new BackupInputException(
                $"repository '{repo.Name}' at {repo.Path} has {free} bytes free on host '{work.HostRecord.Name}', {bytes} needed");
    }
}
