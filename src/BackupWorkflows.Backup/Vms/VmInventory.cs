using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Vms;

/// <summary>A disk of a VM as libvirt defines it.</summary>
public sealed record VmDisk(string Target, string? File, string? Format);

/// <summary>A VM found on a host's libvirt, with its assignment when it has one.</summary>
public sealed record VmInfo(string Name, string? Uuid, string Host, string State, string? Offering, string? Repository,
    IReadOnlyList<VmDisk> Disks);

/// <summary>
/// Lists VMs from each host's libvirt (all domain names, the running ones, then each definition) through the
/// host's shared connection (<see cref="HostConnections"/>), <see cref="Virsh"/> and <see cref="DomainDefinition"/>,
/// joined with their assignments. A host that cannot be reached is logged and skipped so one dead host does not
/// hide the others; assigned VMs not found anywhere are listed with state <c>missing</c>.
/// </summary>
public sealed class VmInventory(BackupDbContext db, HostConnections connections, ILogger<VmInventory> logger)
{
    /// <summary>How long one virsh call may take before the host counts as unreachable.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>VMs of one host (by name) or of all hosts.</summary>
    public async Task<IReadOnlyList<VmInfo>> ListAsync(string? hostName, CancellationToken ct)
    {
        var hosts = await db.Hosts.AsNoTracking().Where(h => hostName == null || h.Name == hostName).ToListAsync(ct);
        var assignments = await db.Assignments.AsNoTracking().Where(a => hostName == null || a.HostName == hostName).ToListAsync(ct);
        var found = new List<VmInfo>();
        foreach (var host in hosts.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            try { found.AddRange(await ListHostAsync(host, ct)); }
            catch (Exception e) when (e is HostCommandException or FormatException
                || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                logger.LogWarning("Could not list VMs of host {Host}: {Error}", host.Name, e.Message);
            }
        }

        var result = found.Select(vm =>
        {
            var a = assignments.FirstOrDefault(x => x.HostName == vm.Host && x.VmName == vm.Name);
            return vm with { Offering = a?.OfferingName, Repository = a?.RepositoryName };
        }).ToList();
        result.AddRange(assignments.Where(a => !found.Any(v => v.Host == a.HostName && v.Name == a.VmName))
            .Select(a => new VmInfo(a.VmName, null, a.HostName, "missing", a.OfferingName, a.RepositoryName, [])));
        return result;
    }

    private async Task<IReadOnlyList<VmInfo>> ListHostAsync(HostRecord host, CancellationToken ct)
    {
        var virsh = connections.SessionFor(host).Virsh;
        var all = await WithinTimeoutAsync(t => virsh.ListDomainNamesAsync(t), ct);
        var running = (await WithinTimeoutAsync(t => virsh.RunAsync(["list", "--state-running", "--name"], null, t), ct)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var vms = new List<VmInfo>();
        foreach (var name in all)
        {
            DomainDefinition definition;
            try { definition = await WithinTimeoutAsync(t => virsh.GetDefinitionAsync(name, cancellationToken: t), ct); }
            catch (HostCommandException e) when (e.Failure == HostCommandFailure.NonZeroExit)
            {
                // The domain went away between the listing and now (undefined meanwhile): not an error of the host.
                logger.LogDebug("Domain {Vm} on {Host} vanished while listing: {Error}", name, host.Name, e.Message);
                continue;
            }
            vms.Add(ToInfo(name, host.Name, running.Contains(name) ? "running" : "shut off", definition));
        }
        return vms;
    }

    /// <summary>The VM as listed: uuid and disks (cdroms and floppies left out) of its definition.</summary>
    public static VmInfo ToInfo(string name, string host, string state, DomainDefinition definition) =>
        new(name, definition.Uuid, host, state, null, null,
            [.. definition.Disks.Where(d => d.Device == "disk").Select(d => new VmDisk(d.Target, d.Source, d.DriverFormat))]);

    private static async Task<T> WithinTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CommandTimeout);
        return await call(timeout.Token);
    }
}
