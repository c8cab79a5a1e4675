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
    /// <remarks>Other images backed by the top (offline children, outside the running chain, kept for VM
    /// snapshots) are rebased onto the base, which then holds the same data, before the top goes.</remarks>
    public async Task CommitIntoBaseAsync(HostSession host, string vm, string target, string top, string basePath, CancellationToken ct,
        IReadOnlyCollection<string>? offlineChildren = null)
    {
        var active = await ActiveSourceAsync(host, vm, target, ct);
        var chain = await host.QemuImg.BackingChainAsync(active, forceShare: true, cancellationToken: ct);
        await CommitIntoBaseAsync(host, vm, target, top, basePath, chain, offlineChildren, ct);
    }

    /// <summary><see cref="CommitIntoBaseAsync(HostSession, string, string, string, string, CancellationToken, IReadOnlyCollection{string}?)"/>
    /// with the running chain its caller has just read in the same activity (the VM is locked: it cannot have changed).</summary>
    private async Task CommitIntoBaseAsync(HostSession host, string vm, string target, string top, string basePath,
        IReadOnlyList<ImageInfo> chain, IReadOnlyCollection<string>? offlineChildren, CancellationToken ct)
    {
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
        await RebaseAsync(host, offlineChildren, basePath, ct);
        await host.Files.DeleteFileAsync(top, ct);
    }

    /// <summary>Commits the active overlay <paramref name="overlay"/> into its backing file
    /// <paramref name="backing"/>, makes the disk use <paramref name="backing"/> again, deletes the overlay.</summary>
    /// <remarks>Offline children as in <see cref="CommitIntoBaseAsync(HostSession, string, string, string, string, CancellationToken, IReadOnlyCollection{string}?)"/>.</remarks>
    public async Task CommitActiveIntoBackingAsync(HostSession host, string vm, string target, string overlay, string backing, CancellationToken ct,
        IReadOnlyCollection<string>? offlineChildren = null)
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
        await RebaseAsync(host, offlineChildren, backing, ct);
        await host.Files.DeleteFileAsync(overlay, ct);
    }

    /// <summary>
    /// Commits <paramref name="image"/> into its backing file <paramref name="backing"/> wherever it is: the
    /// disk's active image (active commit, the disk then writes to the backing file), inside the running
    /// chain, or outside it (an image only VM snapshots keep); rebases its other children, deletes it.
    /// </summary>
    /// <remarks>The caller makes sure nothing else needs <paramref name="backing"/> unchanged. Idempotent:
    /// an image already gone is left alone.</remarks>
    public async Task MergeIntoBackingAsync(HostSession host, string vm, string target, string image, string backing,
        IReadOnlyCollection<string> offlineChildren, CancellationToken ct)
    {
        if (!await host.Files.ExistsAsync(image, ct)) return;
        var active = await ActiveSourceAsync(host, vm, target, ct);
        if (active == image)
        {
            await CommitActiveIntoBackingAsync(host, vm, target, image, backing, ct, offlineChildren);
            return;
        }
        var chain = await host.QemuImg.BackingChainAsync(active, forceShare: true, cancellationToken: ct);
        if (chain.Any(i => i.Filename == image))
        {
            await CommitIntoBaseAsync(host, vm, target, image, backing, chain, offlineChildren, ct);
            return;
        }
        await host.QemuImg.CommitAsync(image, keepTop: true, cancellationToken: ct);
        await RebaseAsync(host, offlineChildren, backing, ct);
        await host.Files.DeleteFileAsync(image, ct);
    }

    /// <summary>
    /// Puts a new qcow2 overlay on top of each listed disk, atomically: running VMs by
    /// <c>virsh snapshot-create-as --disk-only --atomic --no-metadata [--quiesce]</c> (other disks
    /// excluded), stopped ones by <c>qemu-img create -b</c> and one redefinition of the domain.
    /// </summary>
    public static async Task AddOverlaysAsync(HostSession host, string vm, IReadOnlyList<NewOverlay> overlays, bool quiesce, CancellationToken ct)
    {
        if (await IsActiveAsync(host, vm, ct))
        {
            var def = await host.Virsh.GetDefinitionAsync(vm, inactive: false, ct);
            var byTarget = overlays.ToDictionary(o => o.Target, StringComparer.Ordinal);
            var specs = def.Disks.Where(d => d.Device == "disk")
                .Select(d => byTarget.TryGetValue(d.Target, out var o) ? DiskSnapshotSpec.External(d.Target, o.Overlay) : DiskSnapshotSpec.Excluded(d.Target))
                .ToList();
            await host.Virsh.CreateDiskSnapshotAsync(vm, specs, quiesce, ct);
            return;
        }
        var xml = XDocument.Parse(await host.Virsh.DumpXmlAsync(vm, inactive: true, ct));
        foreach (var o in overlays)
        {
            await host.QemuImg.CreateAsync(o.Overlay, "qcow2", null, o.Source, o.SourceFormat, ct);
            DomainXmlEditor.SetDiskSource(xml, o.Target, o.Overlay, "qcow2");
        }
        await host.Virsh.DefineAsync(xml.ToString(), ct);
    }

    /// <summary><see cref="AddOverlaysAsync(HostSession, string, IReadOnlyList{NewOverlay}, bool, CancellationToken)"/>
    /// quiesced when asked; when the freeze fails and <paramref name="policy"/> allows, again crash-consistent.
    /// Returns whether the file systems were frozen.</summary>
    public static async Task<bool> AddOverlaysAsync(HostSession host, string vm, IReadOnlyList<NewOverlay> overlays, bool quiesce,
        Model.QuiescePolicy policy, Action<string> journal, CancellationToken ct)
    {
        try
        {
            await AddOverlaysAsync(host, vm, overlays, quiesce, ct);
            return quiesce;
        }
        catch (Kvm.Hosts.HostCommandException e) when (quiesce && policy != Model.QuiescePolicy.Require)
        {
            journal($"quiesced snapshot failed ({e.Message.Split('\n')[0]}): taking it crash-consistent");
            await AddOverlaysAsync(host, vm, overlays, false, ct);
            return false;
        }
    }

    private static async Task RebaseAsync(HostSession host, IReadOnlyCollection<string>? children, string backing, CancellationToken ct)
    {
        if (children is null || children.Count == 0) return;
        var format = (await host.QemuImg.InfoAsync(backing, forceShare: true, cancellationToken: ct)).Format;
        foreach (var child in children)
            if (await host.Files.ExistsAsync(child, ct)) await host.QemuImg.RebaseUnsafeAsync(child, backing, format, "qcow2", ct);
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

/// <summary>An overlay to put on top of a disk.</summary>
/// <param name="Target">Disk target (vda).</param>
/// <param name="Overlay">The new overlay file.</param>
/// <param name="Source">The image it goes on (the disk's current source).</param>
/// <param name="SourceFormat">That image's format.</param>
public sealed record NewOverlay(string Target, string Overlay, string Source, string SourceFormat);
