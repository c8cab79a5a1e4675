using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>A file system of a backup, opened for one request: dispose it when the request ends.</summary>
/// <param name="Backup">The backup.</param>
/// <param name="Volume">The file system's name (<c>vda</c>, <c>vda2</c>).</param>
/// <param name="FileSystem">Its reader.</param>
/// <param name="Lease">The session lease behind it.</param>
public sealed record BrowsedVolume(BackupRecord Backup, string Volume, GuestFileSystem FileSystem, BrowseLease Lease) : IAsyncDisposable
{
    /// <summary>Runs a read on the file system; a failed host command closes the session (the next request opens a fresh one).</summary>
    public async Task<T> ReadAsync<T>(Func<GuestFileSystem, Task<T>> read)
    {
        try
        {
            return await read(FileSystem);
        }
        catch (HostCommandException)
        {
            Lease.Fail();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Lease.DisposeAsync();
}

/// <summary>
/// The one entry point to a backup's files, for the API and the restore activity: checks the backup
/// (BackedUp), its VM's offering (allows file extraction) and the volume, then leases a browse session.
/// </summary>
public sealed class BackupFiles(BackupCatalog catalog, HostRegistry hosts, VmAssignments assignments, OfferingRegistry offerings, BrowseSessions sessions)
{
    /// <summary>Opens <paramref name="volume"/> of backup <paramref name="backupId"/> (the only disk when null).</summary>
    /// <exception cref="BackupNotFoundException">No such backup.</exception>
    /// <exception cref="DomainConflictException">The backup is not BackedUp, or the host's sessions are all in use.</exception>
    /// <exception cref="FileExtractionForbiddenException">The VM's offering does not allow file extraction.</exception>
    /// <exception cref="BrowseInputException">No such volume, or one that cannot be browsed.</exception>
    public async Task<BrowsedVolume> OpenAsync(Guid backupId, string? volume, CancellationToken ct)
    {
        var backup = await RequireBrowsableAsync(backupId, ct);
        var disk = DiskOf(backup, volume);
        var host = await hosts.HostAsync(backup.HostName, ct);
        var lease = await sessions.AcquireAsync(host, backup, disk, ct);
        try
        {
            return new BrowsedVolume(backup, volume ?? disk.Target, lease.Session.FileSystem(volume ?? disk.Target, disk.Target), lease);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    /// <summary>The backup, when its files may be read: it exists, its VM's offering allows file extraction, and it is
    /// BackedUp. The one check before browsing and before starting a file restore.</summary>
    /// <exception cref="BackupNotFoundException">No such backup.</exception>
    /// <exception cref="FileExtractionForbiddenException">Not allowed, or the VM has no offering any more.</exception>
    /// <exception cref="DomainConflictException">The backup is not BackedUp.</exception>
    public async Task<BackupRecord> RequireBrowsableAsync(Guid backupId, CancellationToken ct)
    {
        var backup = await catalog.GetAsync(backupId, ct);
        await RequireAllowedAsync(backup, ct);
        if (backup.State != BackupState.BackedUp)
            throw new DomainConflictException($"Backup {backup.Id} is {backup.State}; only the files of BackedUp backups can be read or restored.");
        return backup;
    }

    /// <summary>Refuses (403) a backup whose VM's offering does not allow file extraction.</summary>
    /// <exception cref="FileExtractionForbiddenException">Not allowed, or the VM has no offering any more.</exception>
    private async Task RequireAllowedAsync(BackupRecord backup, CancellationToken ct)
    {
        var assignment = await assignments.FindAssignmentAsync(backup.HostName, backup.VmName, ct)
            ?? throw new FileExtractionForbiddenException(
                $"File extraction is not allowed for backup {backup.Id}: VM '{backup.VmName}' is not assigned to an offering any more.");
        var offering = await offerings.OfferingAsync(assignment.OfferingName, ct);
        if (!offering.AllowFileExtraction)
            throw new FileExtractionForbiddenException(
                $"File extraction is not allowed for backup {backup.Id}: offering '{offering.Name}' of VM '{backup.VmName}' does not allow it (allowFileExtraction).");
    }

    /// <summary>The disk a volume name is on: <c>vda</c> or a partition of it, <c>vda2</c>.</summary>
    private static BackupVolume DiskOf(BackupRecord backup, string? volume)
    {
        var names = string.Join(", ", backup.Volumes.Select(v => v.Target));
        if (string.IsNullOrEmpty(volume))
            return backup.Volumes.Count == 1 ? backup.Volumes[0]
                : throw new BrowseInputException("volume", $"backup {backup.Id} has several disks ({names}); say which.");
        return backup.Volumes.FirstOrDefault(v => v.Target == volume)
            ?? backup.Volumes.FirstOrDefault(v => volume.StartsWith(v.Target, StringComparison.Ordinal)
                && volume.Length > v.Target.Length && volume[v.Target.Length..].All(char.IsAsciiDigit))
            ?? throw new BrowseInputException("volume", $"backup {backup.Id} has no volume '{volume}' (its disks: {names}).");
    }
}
