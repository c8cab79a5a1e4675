using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Backups;

/// <summary>What a delete did.</summary>
/// <param name="Removed">Marked Removed: hidden, files kept while a child needs them.</param>
/// <param name="Expunged">Files deleted.</param>
/// <param name="ChainEnded">True when the VM's live chain ended (its next backup is full).</param>
public sealed record DeleteResult(IReadOnlyList<Guid> Removed, IReadOnlyList<Guid> Expunged, bool ChainEnded);

/// <summary>Reads backups and deletes them chain-safely (through <see cref="DeletePlanner"/>).</summary>
public sealed class BackupOperations(BackupDbContext db, TimeProvider time, ILogger<BackupOperations> logger)
{
    /// <summary>Backups, newest first, optionally of one VM.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListAsync(string? vm, CancellationToken ct)
    {
        var rows = await db.Backups.AsNoTracking().Include(b => b.Volumes)
            .Where(b => vm == null || b.VmName == vm).ToListAsync(ct);
        // SQLite cannot ORDER BY a DateTimeOffset, so order here.
        return [.. rows.OrderByDescending(b => b.CreatedAt)];
    }

    /// <summary>One backup.</summary>
    /// <exception cref="NotFoundException">No such backup.</exception>
    public async Task<BackupRecord> GetAsync(Guid id, CancellationToken ct) =>
        await db.Backups.AsNoTracking().Include(b => b.Volumes).FirstOrDefaultAsync(b => b.Id == id, ct)
        ?? throw new NotFoundException($"No backup with id {id}.");

    /// <summary>
    /// Deletes a backup without breaking its chain: a backup whose children still need it is only
    /// marked Removed; files go when nothing depends on them. Deleting the newest backup of the
    /// live chain ends the chain, so the VM's next backup is full.
    /// </summary>
    /// <exception cref="NotFoundException">No such backup.</exception>
    /// <exception cref="ConflictException">The backup is being created or already deleted.</exception>
    public async Task<DeleteResult> DeleteAsync(Guid id, CancellationToken ct)
    {
        var target = await db.Backups.Include(b => b.Volumes).FirstOrDefaultAsync(b => b.Id == id, ct)
            ?? throw new NotFoundException($"No backup with id {id}.");
        var ofVm = await db.Backups.Include(b => b.Volumes)
            .Where(b => b.HostName == target.HostName && b.VmName == target.VmName).ToListAsync(ct);
        DeletePlan plan;
        try { plan = DeletePlanner.Plan(target, ofVm); }
        catch (InvalidOperationException e) { throw new ConflictException(e.Message); }

        foreach (var b in ofVm.Where(b => plan.MarkRemoved.Contains(b.Id))) b.State = BackupState.Removed;
        var expunged = ofVm.Where(b => plan.Expunge.Contains(b.Id)).ToList();
        if (expunged.Count > 0) await DeleteFilesAsync(target.HostName, expunged, ct);
        foreach (var b in expunged) b.State = BackupState.Expunged;
        if (plan.MergeDeltaOnPrimary)
        {
            var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.HostName == target.HostName && a.VmName == target.VmName, ct);
            if (assignment is not null) assignment.ChainEndedReason = $"the newest backup {target.Id} was deleted";
        }
        await db.SaveChangesAsync(ct);
        return new DeleteResult(plan.MarkRemoved, plan.Expunge, plan.MergeDeltaOnPrimary);
    }

    private async Task DeleteFilesAsync(string hostName, IReadOnlyList<BackupRecord> backups, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Name == hostName, ct)
            ?? throw new ConflictException($"The backup's host '{hostName}' no longer exists; add it again to delete the files.");
        var files = backups.SelectMany(b => b.Volumes).Select(v => v.ImagePath).ToList();
        if (files.Count == 0) return;
        await using var shell = HostShellFactory.Create(host.Uri, host.IdentityFile, host.KnownHostsFile, time);
        try
        {
            await shell.RunAsync(["rm", "-f", "--", .. files], new HostCommandOptions { Timeout = TimeSpan.FromMinutes(5) }, ct);
            var dirs = files.Select(Path.GetDirectoryName).OfType<string>().Distinct().ToList();
            // Only empty directories go; a directory with other files stays (exit code 1 accepted).
            await shell.RunAsync(["rmdir", "--ignore-fail-on-non-empty", "--", .. dirs],
                new HostCommandOptions { Timeout = TimeSpan.FromMinutes(1), SuccessExitCodes = [0, 1] }, ct);
        }
        catch (HostCommandException e)
        {
            logger.LogWarning("Deleting backup files on {Host} failed: {Error}", hostName, e.Message);
            throw new ApiException(StatusCodes.Status502BadGateway, "Host command failed", e.Message);
        }
    }
}
