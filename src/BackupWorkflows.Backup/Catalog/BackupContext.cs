using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Catalog;

/// <summary>One backup in its context, as every step of it needs it: its record, its host (record and session),
/// its repository and its offering (policy).</summary>
/// <remarks>The offering is null when the VM is no longer assigned: cleanup steps still load the
/// context, and only a step that needs the policy fails, naming the VM.</remarks>
public sealed record BackupContext(
    BackupRecord Backup, HostRecord HostRecord, HostSession Host, RepositoryRecord Repository, Offering? AssignedOffering)
{
    /// <summary>The offering the VM is assigned to.</summary>
    /// <exception cref="BackupInputException">The VM is not assigned to an offering.</exception>
    public Offering Offering => AssignedOffering ?? throw new BackupInputException(
        $"VM '{Backup.VmName}' on host '{HostRecord.Name}' is not assigned to a backup offering, so its backup policy is unknown; assign it (bwf vm assign {Backup.VmName} --offering NAME --repo NAME)");

    /// <summary>True when the domain is running or paused (its disks are open in QEMU).</summary>
    public Task<bool> IsActiveAsync(CancellationToken ct) => PrimaryChains.IsActiveAsync(Host, Backup.VmName, ct);

    /// <summary>The current source file of each disk, by target (live definition when running).</summary>
    public async Task<Dictionary<string, string?>> CurrentSourcesAsync(CancellationToken ct)
    {
        var def = await Host.Virsh.GetDefinitionAsync(Backup.VmName, inactive: false, ct);
        return def.Disks.ToDictionary(d => d.Target, d => d.Source, StringComparer.Ordinal);
    }
}

/// <summary>Loads a <see cref="BackupContext"/> by backup id.</summary>
public sealed class BackupContextLoader(BackupCatalog catalog, HostRegistry hostRegistry, RepositoryRegistry repositories,
    OfferingRegistry offerings, VmAssignments assignments, HostConnections hosts)
{
    /// <summary>Loads the backup and everything around it.</summary>
    public async Task<BackupContext> LoadAsync(string backupId, CancellationToken ct)
    {
        var id = BackupIds.Parse(backupId);
        var backup = await catalog.GetAsync(id, ct);
        var host = await hostRegistry.HostAsync(backup.HostName, ct);
        var repo = await repositories.RepositoryAsync(backup.RepositoryName, ct);
        var assignment = await assignments.FindAssignmentAsync(backup.HostName, backup.VmName, ct);
        var offering = assignment is null ? null : await offerings.OfferingAsync(assignment.OfferingName, ct);
        return new BackupContext(backup, host, hosts.SessionFor(host), repo, offering);
    }
}
