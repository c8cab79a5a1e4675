using System.Xml.Linq;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Backup.Hosts;

/// <summary>
/// Changes to a VM's disk chains on primary storage, for running VMs (libvirt block jobs) and
/// stopped ones (qemu-img plus a redefinition). Each method is idempotent: it inspects the
/// chain first, so a resumed attempt finishes the work instead of failing on it.
/// </summary>
public sealed class PrimaryChains
{
    /// <summary>Commits <paramref name="top"/> (a read-only image in the middle of the chain) into
    /// <paramref name="basePath"/> and deletes it. The active image stays.</summary>
    public async Task CommitIntoBaseAsync(HostSession host, string vm, string target, string top, string basePath, CancellationToken ct)
    {
        var active = await ActiveSourceAsync(host, vm, target, ct);
        var chain = await host.QemuImg.BackingChainAsync(active, forceShare: true, cancellationToken: ct);
        if (chain.Any(i => i.Filename == top))
        {
            if (await IsActiveAsync(host, vm, ct))
                await host.Virsh.BlockCommitAsync(vm, target, new BlockCommitOptions { Top = top, Base = basePath }, ct);
            else
            {
                await host.QemuImg.CommitAsync(top, basePath, cancellationToken: ct);
                var above = chain.TakeWhile(i => i.Filename != top).Last();
                await host.QemuImg.RebaseUnsafeAsync(above.Filename, basePath, chain.First(i => i.Filename == basePath).Format, above.Format, ct);
            }
        }
        await host.Files.DeleteFileAsync(top, ct);
    }

    /// <summary>Commits the active overlay <paramref name="overlay"/> into its backing file
    /// <paramref name="backing"/>, makes the disk use <paramref name="backing"/> again, deletes the overlay.</summary>
    public async Task CommitActiveIntoBackingAsync(HostSession host, string vm, string target, string overlay, string backing, CancellationToken ct)
    {
        var active = await ActiveSourceAsync(host, vm, target, ct);
        if (active == overlay)
        {
            if (await IsActiveAsync(host, vm, ct))
                await host.Virsh.BlockCommitAsync(vm, target, new BlockCommitOptions { Base = backing }, ct);
            else
            {
                await host.QemuImg.CommitAsync(overlay, cancellationToken: ct);
                var format = (await host.QemuImg.InfoAsync(backing, cancellationToken: ct)).Format;
                await RedefineDiskAsync(host, vm, target, backing, format, ct);
            }
        }
        await host.Files.DeleteFileAsync(overlay, ct);
    }

    /// <summary>Points a stopped VM's disk at another image in its persistent definition.</summary>
    public static async Task RedefineDiskAsync(HostSession host, string vm, string target, string file, string format, CancellationToken ct)
    {
        var xml = XDocument.Parse(await host.Virsh.DumpXmlAsync(vm, inactive: true, ct));
        DomainXmlEditor.SetDiskSource(xml, target, file, format);
        await host.Virsh.DefineAsync(xml.ToString(), ct);
    }

    /// <summary>The image the disk writes to now.</summary>
    public static async Task<string> ActiveSourceAsync(HostSession host, string vm, string target, CancellationToken ct)
    {
        var def = await host.Virsh.GetDefinitionAsync(vm, inactive: false, ct);
        return def.Disk(target).Source ?? throw new InvalidOperationException($"disk {target} of {vm} has no source");
    }

    /// <summary>Whether the domain's disks are open in QEMU.</summary>
    public static async Task<bool> IsActiveAsync(HostSession host, string vm, CancellationToken ct) =>
        await host.Virsh.GetStateAsync(vm, ct) is DomainState.Running or DomainState.Paused or DomainState.Blocked;
}
