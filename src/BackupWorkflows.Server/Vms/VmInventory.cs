using System.Xml.Linq;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Kvm.Hosts;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Vms;

/// <summary>A disk of a VM as libvirt defines it.</summary>
public sealed record VmDisk(string Target, string? File, string? Format);

/// <summary>A VM found on a host's libvirt, with its assignment when it has one.</summary>
public sealed record VmInfo(string Name, string? Uuid, string Host, string State, string? Offering, string? Repository,
    IReadOnlyList<VmDisk> Disks);

/// <summary>
/// Lists VMs from each host's libvirt (<c>virsh list --name</c>, then the domain XML of each),
/// joined with their assignments. A host that cannot be reached is logged and skipped so one dead
/// host does not hide the others; assigned VMs not found anywhere are listed with state <c>missing</c>.
/// </summary>
public sealed class VmInventory(BackupDbContext db, TimeProvider time, ILogger<VmInventory> logger)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>VMs of one host (by name) or of all hosts.</summary>
    public async Task<IReadOnlyList<VmInfo>> ListAsync(string? hostName, CancellationToken ct)
    {
        var hosts = await db.Hosts.AsNoTracking().Where(h => hostName == null || h.Name == hostName).ToListAsync(ct);
        var assignments = await db.Assignments.AsNoTracking().Where(a => hostName == null || a.HostName == hostName).ToListAsync(ct);
        var found = new List<VmInfo>();
        foreach (var host in hosts.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            try { found.AddRange(await ListHostAsync(host, ct)); }
            catch (Exception e) when (e is HostCommandException or FormatException or System.Xml.XmlException)
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
        await using var shell = HostShellFactory.Create(host.Uri, host.IdentityFile, host.KnownHostsFile, time);
        var options = new HostCommandOptions { Timeout = CommandTimeout };
        var all = Lines((await shell.RunAsync(["virsh", "-c", host.LibvirtUri, "list", "--all", "--name"], options, ct)).StandardOutput);
        var running = Lines((await shell.RunAsync(["virsh", "-c", host.LibvirtUri, "list", "--state-running", "--name"], options, ct)).StandardOutput)
            .ToHashSet(StringComparer.Ordinal);
        var vms = new List<VmInfo>();
        foreach (var name in all)
        {
            string xml;
            try { xml = (await shell.RunAsync(["virsh", "-c", host.LibvirtUri, "dumpxml", "--", name], options, ct)).StandardOutput; }
            catch (HostCommandException e) when (e.Failure == HostCommandFailure.NonZeroExit)
            {
                // The domain went away between the listing and now (undefined meanwhile): not an error of the host.
                logger.LogDebug("Domain {Vm} on {Host} vanished while listing: {Error}", name, host.Name, e.Message);
                continue;
            }
            vms.Add(Parse(name, host.Name, running.Contains(name) ? "running" : "shut off", xml));
        }
        return vms;
    }

    /// <summary>Reads uuid and file-backed disks from a domain XML.</summary>
    internal static VmInfo Parse(string name, string host, string state, string domainXml)
    {
        var domain = XDocument.Parse(domainXml).Root!;
        var disks = domain.Element("devices")?.Elements("disk")
            .Where(d => (string?)d.Attribute("device") is null or "disk")
            .Select(d => new VmDisk(
                (string?)d.Element("target")?.Attribute("dev") ?? "",
                (string?)d.Element("source")?.Attribute("file") ?? (string?)d.Element("source")?.Attribute("dev"),
                (string?)d.Element("driver")?.Attribute("type")))
            .ToList() ?? [];
        return new VmInfo(name, (string?)domain.Element("uuid"), host, state, null, null, disks);
    }

    private static List<string> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
