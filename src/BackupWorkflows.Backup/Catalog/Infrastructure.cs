using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Catalog;

/// <summary>Lookups of hosts, repositories, offerings and assignments, with errors that name what is missing.</summary>
public sealed class Infrastructure(BackupDbContext db)
{
    /// <summary>The registered host.</summary>
    /// <exception cref="BackupInputException">The host is not registered.</exception>
    public async Task<HostRecord> HostAsync(string name, CancellationToken ct = default) =>
        await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct)
        ?? throw new BackupInputException($"host '{name}' is not registered");

    /// <summary>The registered repository.</summary>
    /// <exception cref="BackupInputException">The repository is not registered.</exception>
    public async Task<RepositoryRecord> RepositoryAsync(string name, CancellationToken ct = default) =>
        await db.Repositories.FirstOrDefaultAsync(r => r.Name == name, ct)
        ?? throw new BackupInputException($"repository '{name}' is not registered");

    /// <summary>The offering.</summary>
    /// <exception cref="BackupInputException">No such offering.</exception>
    public async Task<Offering> OfferingAsync(string name, CancellationToken ct = default) =>
        await db.Offerings.FirstOrDefaultAsync(o => o.Name == name, ct)
        ?? throw new BackupInputException($"offering '{name}' does not exist");

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

    /// <summary>Saves tracked changes.</summary>
    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}

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
