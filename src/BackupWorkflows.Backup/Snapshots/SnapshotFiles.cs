using BackupWorkflows.Backup.Hosts;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>
/// The images VM snapshots keep on primary: builds a disk's <see cref="SnapshotTree"/> from the host,
/// merges and deletes what nothing needs any more, and is the one way an image of a VM with
/// snapshots is committed into its backing file (snapshot deletes and backup merges alike).
/// </summary>
public sealed class SnapshotFiles(SnapshotCatalog catalog, PrimaryChains chains)
{
    /// <summary>Commits <paramref name="image"/> into its backing file wherever it lies, rebases other
    /// images backed by it (kept by snapshots), and points snapshots that froze it at the backing file.</summary>
    /// <returns>The backing file, or null when the image is gone or has none.</returns>
    public async Task<string?> MergeIntoBackingAsync(HostSession host, string vm, string target, string image, CancellationToken ct)
    {
        if (!await host.Files.ExistsAsync(image, ct)) return null;
        var chain = await host.QemuImg.BackingChainAsync(image, forceShare: true, cancellationToken: ct);
        if (chain.Count < 2) return null;
        var backing = chain[1].Filename;
        // The tree holds the running chain already (read just now): no second dumpxml and qemu-img info for it.
        var tree = await TreeAsync(host, vm, target, [], ct);
        var running = tree.RunningChain();
        var offline = tree.ChildrenOf(image).Where(c => !running.Contains(c)).ToList();
        await chains.MergeIntoBackingAsync(host, vm, target, image, backing, offline, ct);
        await catalog.RepointAsync(host.Host.Name, vm, image, backing, ct);
        return backing;
    }

    /// <summary>Merges a backup delta into its backing file when the disk runs on it (directly or under VM
    /// snapshot overlays). A delta outside the running chain (committed by an earlier attempt that stopped
    /// before deleting it, or dropped by a restore) is deleted, unless a snapshot still needs it.</summary>
    /// <returns>The backing file it was merged into, or null when it was only deleted or left.</returns>
    public async Task<string?> MergeDeltaAsync(HostSession host, string vm, string target, string delta, CancellationToken ct)
    {
        var active = await PrimaryChains.ActiveSourceAsync(host, vm, target, ct);
        var running = await host.QemuImg.BackingChainAsync(active, forceShare: true, cancellationToken: ct);
        if (running.Any(i => i.Filename == delta)) return await MergeIntoBackingAsync(host, vm, target, delta, ct);
        if (!(await TreeAsync(host, vm, target, [], ct)).Needed().Contains(delta)) await host.Files.DeleteFileAsync(delta, ct);
        return null;
    }

    /// <summary>
    /// After a restore replaced disks of the VM: its snapshots of those disks no longer match them, so they
    /// become Stale with <paramref name="reason"/> (they cannot be reverted to), and the overlays they and the
    /// chains the disks ran on kept are deleted by the tidying. The one way every kind of restore does it.
    /// </summary>
    /// <param name="host">The host whose records and files are meant: where the VM ran before the restore.
    /// When the VM is no longer defined there (a quick restore moved it to another host), only the records change.</param>
    /// <param name="vm">The VM.</param>
    /// <param name="before">Per replaced disk, the image it ran on before the restore (null: unknown), so the tidying
    /// finds the abandoned chain.</param>
    /// <param name="reason">Why, for the operator: "disk vda was restored from backup … after it was taken".</param>
    /// <param name="journal">Where each change is told.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <remarks>Idempotent: a resumed restore marks nothing twice and tidies what is left.</remarks>
    public async Task MarkStaleAsync(HostSession host, string vm, IReadOnlyDictionary<string, string?> before, string reason,
        Action<string> journal, CancellationToken ct)
    {
        var stale = await catalog.MarkStaleAsync(host.Host.Name, vm, [.. before.Keys], reason, ct);
        if (stale.Count > 0) journal($"snapshots marked stale: {string.Join(", ", stale)} ({reason})");
        if (!await host.Virsh.ExistsAsync(vm, ct)) return;
        foreach (var (target, old) in before)
            await TidyAsync(host, vm, target, old is null ? [] : [old], journal, ct);
    }

    /// <summary>
    /// Deletes the disk's overlays nothing needs (an abandoned branch after a revert; images of deleted
    /// snapshots), merges each Removed snapshot's image with its one remaining child once nothing else
    /// needs it, and marks Removed snapshots Deleted once they hold nothing apart.
    /// </summary>
    /// <param name="host">The VM's host.</param>
    /// <param name="vm">The VM.</param>
    /// <param name="target">The disk.</param>
    /// <param name="candidates">Further images to look at (the chain a revert left).</param>
    /// <param name="journal">Where each change is told.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task TidyAsync(HostSession host, string vm, string target, IReadOnlyCollection<string> candidates,
        Action<string> journal, CancellationToken ct)
    {
        for (var round = 0; round < 64; round++)
        {
            var tree = await TreeAsync(host, vm, target, candidates, ct);
            var step = tree.Next();
            if (step.Delete is { } gone)
            {
                await host.Files.DeleteFileAsync(gone, ct);
                journal($"{target}: {gone} deleted (nothing needs it)");
            }
            else if (step.MergeChild is { } child)
            {
                await MergeIntoBackingAsync(host, vm, target, child, ct);
                journal($"{target}: {child} merged into {step.Into}");
            }
            else break;
        }
        var final = await TreeAsync(host, vm, target, candidates, ct);
        foreach (var s in await catalog.ListForVmAsync(host.Host.Name, vm, ct))
            if (s.State == SnapshotState.Removed && s.Disks.Where(d => d.Target == target).All(d => final.IsMergedAway(d.ImagePath)))
                s.State = SnapshotState.Deleted;
        await catalog.SaveAsync(ct);
    }

    /// <summary>The disk's tree: the running chain, and the chains of the images and overlays its snapshots recorded.</summary>
    public async Task<SnapshotTree> TreeAsync(HostSession host, string vm, string target, IReadOnlyCollection<string> candidates, CancellationToken ct)
    {
        var snapshots = await catalog.ListForVmAsync(host.Host.Name, vm, ct);
        // Stale snapshots' files are looked at too: nothing needs them, so they go.
        var disks = snapshots.Where(s => s.State is SnapshotState.Ready or SnapshotState.Removed or SnapshotState.Stale)
            .SelectMany(s => s.Disks.Where(d => d.Target == target).Select(d => (s.State, Disk: d))).ToList();
        var active = await PrimaryChains.ActiveSourceAsync(host, vm, target, ct);
        var backingOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var roots = new List<string> { active };
        roots.AddRange(disks.SelectMany(d => new[] { d.Disk.ImagePath, d.Disk.OverlayPath }));
        roots.AddRange(candidates);
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            if (backingOf.ContainsKey(root) || !await host.Files.ExistsAsync(root, ct)) continue;
            var chain = await host.QemuImg.BackingChainAsync(root, forceShare: true, cancellationToken: ct);
            for (var i = 0; i < chain.Count; i++)
                backingOf[chain[i].Filename] = i + 1 < chain.Count ? chain[i + 1].Filename : null;
        }
        return new SnapshotTree(active, backingOf,
            [.. disks.Where(d => d.State == SnapshotState.Ready).Select(d => d.Disk.ImagePath)],
            [.. disks.Where(d => d.State == SnapshotState.Removed).Select(d => d.Disk.ImagePath)]);
    }
}
