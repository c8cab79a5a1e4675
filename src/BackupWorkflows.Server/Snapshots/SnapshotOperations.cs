using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Backup.Vms;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Workflows;

namespace BackupWorkflows.Server.Snapshots;

/// <summary>Reads VM snapshots and starts their workflows, refusing bad input before anything changes.</summary>
public sealed class SnapshotOperations(SnapshotCatalog catalog, VmInventory inventory, HostRegistry hosts,
    HostConnections connections, WorkflowLauncher launcher)
{
    /// <summary>Workflow that takes a snapshot; input <c>{ host, vm, name, disks, quiesce }</c>.</summary>
    public const string Create = "snapshot-create";

    /// <summary>Workflow that reverts a stopped VM to a snapshot; input <c>{ snapshotId }</c>.</summary>
    public const string Revert = "snapshot-revert";

    /// <summary>Workflow that deletes a snapshot; input <c>{ snapshotId }</c>.</summary>
    public const string Delete = "snapshot-delete";

    /// <summary>The VM's snapshots, newest first (deleted ones included, with their state).</summary>
    public Task<List<VmSnapshot>> ListAsync(string vm, CancellationToken ct) => catalog.ListAsync(vm, ct);

    /// <summary>One snapshot.</summary>
    /// <exception cref="NotFoundException">No such snapshot.</exception>
    public async Task<VmSnapshot> GetAsync(Guid id, CancellationToken ct)
    {
        try { return await catalog.GetAsync(id, ct); }
        catch (DomainNotFoundException e) { throw new NotFoundException(e.Message); }
    }

    /// <summary>Checks the VM and its disks, then starts <c>snapshot-create</c>; returns the instance id.</summary>
    public async Task<string> CreateAsync(string vm, string? host, string? name, IReadOnlyList<string> disks, bool quiesce,
        string? idempotencyKey, CancellationToken ct)
    {
        var found = await Apis.VmsApi.LocateAsync(inventory, vm, host, ct);
        var session = connections.SessionFor(await hosts.HostAsync(found.Host, ct));
        var definition = await session.Virsh.GetDefinitionAsync(vm, inactive: false, ct);
        try { SnapshotDiskSelection.Select(definition, disks, vm); }
        catch (BackupInputException e) { throw new InputException("disks", e.Message); }
        if (name is not null && (await catalog.ListForVmAsync(found.Host, vm, ct))
                .Any(s => s.Name == name && s.State is SnapshotState.Creating or SnapshotState.Ready or SnapshotState.Removed))
            throw new ConflictException($"VM '{vm}' already has a snapshot named '{name}'.");
        var input = new JsonObject
        {
            ["host"] = found.Host, ["vm"] = vm, ["name"] = name ?? "", ["disks"] = string.Join(",", disks), ["quiesce"] = quiesce,
        };
        return await launcher.StartAsync(Create, input, idempotencyKey, ct: ct);
    }

    /// <summary>Checks that the snapshot can be reverted to and the VM is stopped, then starts <c>snapshot-revert</c>.</summary>
    /// <exception cref="ConflictException">The snapshot is not Ready, or the VM runs.</exception>
    public async Task<string> RevertAsync(Guid id, string? idempotencyKey, CancellationToken ct)
    {
        var snapshot = await GetAsync(id, ct);
        if (snapshot.State != SnapshotState.Ready)
            throw new ConflictException($"Snapshot '{snapshot.Name}' is {snapshot.State}; only Ready snapshots can be reverted to" +
                (snapshot.State == SnapshotState.Stale ? $" ({snapshot.Error})." : "."));
        var session = connections.SessionFor(await hosts.HostAsync(snapshot.HostName, ct));
        if (!await session.Virsh.ExistsAsync(snapshot.VmName, ct))
            throw new ConflictException($"VM '{snapshot.VmName}' no longer exists on host '{snapshot.HostName}'.");
        if (await PrimaryChains.IsActiveAsync(session, snapshot.VmName, ct))
            throw new ConflictException($"VM '{snapshot.VmName}' is running; stop it first (virsh shutdown {snapshot.VmName}), then revert.");
        return await launcher.StartAsync(Revert, new JsonObject { ["snapshotId"] = id.ToString() }, idempotencyKey, ct: ct);
    }

    /// <summary>Starts <c>snapshot-delete</c> (a snapshot already deleted is refused).</summary>
    public async Task<string> DeleteAsync(Guid id, string? idempotencyKey, CancellationToken ct)
    {
        var snapshot = await GetAsync(id, ct);
        if (snapshot.State is SnapshotState.Deleted) throw new ConflictException($"Snapshot '{snapshot.Name}' is already deleted.");
        if (snapshot.State is SnapshotState.Creating) throw new ConflictException($"Snapshot '{snapshot.Name}' is still being taken.");
        return await launcher.StartAsync(Delete, new JsonObject { ["snapshotId"] = id.ToString() },
            idempotencyKey ?? $"snapshot-delete:{id}:{snapshot.State}", ct: ct);
    }
}
