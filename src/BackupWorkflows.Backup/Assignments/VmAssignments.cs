using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Assignments;

/// <summary>VMs' assignments to an offering and a repository, with errors that name what is missing.</summary>
public sealed class VmAssignments(BackupDbContext db)
{
    /// <summary>The VM's assignment to an offering.</summary>
    /// <exception cref="BackupInputException">The VM is not assigned.</exception>
    public async Task<VmAssignment> AssignmentAsync(string host, string vm, CancellationToken ct = default) =>
        await db.Assignments.FirstOrDefaultAsync(a => a.HostName == host && a.VmName == vm, ct)
        ?? throw new BackupInputException($"VM '{vm}' on host '{host}' is not assigned to a backup offering");

    /// <summary>The assignment, or null.</summary>
    public Task<VmAssignment?> FindAssignmentAsync(string host, string vm, CancellationToken ct = default) =>
        db.Assignments.FirstOrDefaultAsync(a => a.HostName == host && a.VmName == vm, ct);

    /// <summary>Removes a VM's assignment.</summary>
    public async Task RemoveAssignmentAsync(VmAssignment assignment, CancellationToken ct = default)
    {
        db.Assignments.Remove(assignment);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Saves changes made to assignments this service returned.</summary>
    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}
