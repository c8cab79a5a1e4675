using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Assignments;

/// <summary>VMs' assignments to an offering and a repository, with errors that name what is missing.</summary>
public sealed class VmAssignments(BackupDbContext db, TimeProvider time)
{
    /// <summary>The VM's assignment to an offering.</summary>
    /// <exception cref="BackupInputException">The VM is not assigned.</exception>
    public async Task<VmAssignment> AssignmentAsync(string host, string vm, CancellationToken ct = default) =>
        await db.Assignments.FirstOrDefaultAsync(a => a.HostName == host && a.VmName == vm, ct)
        ?? throw new BackupInputException($"VM '{vm}' on host '{host}' is not assigned to a backup offering");

    /// <summary>The assignment, or null.</summary>
    public Task<VmAssignment?> FindAssignmentAsync(string host, string vm, CancellationToken ct = default) =>
        db.Assignments.FirstOrDefaultAsync(a => a.HostName == host && a.VmName == vm, ct);

    /// <summary>Whether a VM of that name is assigned on any host.</summary>
    public Task<bool> IsAssignedAsync(string vm, CancellationToken ct = default) =>
        db.Assignments.AnyAsync(a => a.VmName == vm, ct);

    /// <summary>The assignments of the VM named <paramref name="vm"/> (on every host) when it is given, else
    /// those under <paramref name="offering"/>: what a schedule covers. Read-only.</summary>
    public async Task<IReadOnlyList<VmAssignment>> CoveredAsync(string? vm, string? offering, CancellationToken ct = default) =>
        await db.Assignments.AsNoTracking()
            .Where(a => vm != null ? a.VmName == vm : a.OfferingName == offering)
            .ToListAsync(ct);

    /// <summary>Puts the VM on <paramref name="host"/> under <paramref name="offering"/> with backups going to
    /// <paramref name="repository"/>; a reassignment to another repository ends the VM's chain (a new repository
    /// cannot continue a chain stored in the old one). The caller has checked that offering and repository exist.</summary>
    public async Task<VmAssignment> AssignAsync(string vm, string host, string offering, string repository, CancellationToken ct = default)
    {
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.HostName == host && a.VmName == vm, ct);
        if (assignment is null)
        {
            assignment = new VmAssignment
            {
                VmName = vm, HostName = host, OfferingName = offering, RepositoryName = repository,
                AssignedAt = time.GetUtcNow(),
            };
            db.Assignments.Add(assignment);
        }
        else
        {
            if (assignment.RepositoryName != repository) assignment.ChainEndedReason = "the VM moved to another repository";
            assignment.OfferingName = offering;
            assignment.RepositoryName = repository;
        }
        await db.SaveChangesAsync(ct);
        return assignment;
    }

    /// <summary>Removes a VM's assignment.</summary>
    public async Task RemoveAssignmentAsync(VmAssignment assignment, CancellationToken ct = default)
    {
        db.Assignments.Remove(assignment);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Saves changes made to assignments this service returned.</summary>
    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}
