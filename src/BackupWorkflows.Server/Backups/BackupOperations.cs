using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Backups;

/// <summary>Reads backups and starts their deletion.</summary>
public sealed class BackupOperations(BackupDbContext db, WorkflowLauncher launcher)
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
    /// Starts the <c>delete-backup</c> workflow, which deletes chain-safely: a backup whose children
    /// still need it is only marked Removed; deleting the newest backup of the live chain merges its
    /// delta on primary and ends the chain. Returns the instance id.
    /// </summary>
    /// <exception cref="NotFoundException">No such backup.</exception>
    /// <exception cref="ConflictException">Being created, already deleted, or the workflow is not published.</exception>
    public async Task<string> DeleteAsync(Guid id, string? idempotencyKey, CancellationToken ct)
    {
        var backup = await GetAsync(id, ct);
        if (backup.State is BackupState.Expunged) throw new ConflictException($"Backup {id} is already deleted.");
        if (backup.State is BackupState.Creating) throw new ConflictException($"Backup {id} is still being created.");
        return await launcher.StartAsync(WorkflowLauncher.DeleteBackup, new JsonObject { ["backupId"] = id.ToString() },
            idempotencyKey ?? $"delete:{id}:{backup.State}", ct: ct);
    }
}
