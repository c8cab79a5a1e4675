using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Chains;

/// <summary>The VM's disks as they are now on primary storage.</summary>
/// <param name="Target">Disk target (vda).</param>
/// <param name="ActivePath">The image the VM currently writes to.</param>
/// <param name="ActiveExists">Whether that image exists.</param>
/// <param name="Chain">The active image and its backing files, top first (VM snapshot overlays may lie
/// between the last backup's delta and the active image); null: the active image only.</param>
public sealed record CurrentDisk(string Target, string ActivePath, bool ActiveExists, IReadOnlyList<string>? Chain = null);

/// <summary>What libvirt and QEMU report about a VM's change tracking, for <see cref="ChainRules.FindBrokenBitmap"/>.</summary>
/// <param name="Running">The domain runs (bitmaps are read from its QEMU).</param>
/// <param name="Checkpoints">The domain's checkpoint names.</param>
/// <param name="Bitmaps">Every dirty bitmap of its image nodes.</param>
/// <param name="RawDisks">Included disks whose image is raw.</param>
public sealed record BitmapFacts(bool Running, IReadOnlyList<string> Checkpoints, IReadOnlyList<Kvm.Domains.DirtyBitmap> Bitmaps, IReadOnlyList<string> RawDisks);

/// <summary>
/// Decides whether the next backup is full or incremental (delta-on-primary, as in
/// CloudStack's KBOSS provider). Pure logic: every fact comes in as an argument.
/// </summary>
/// <remarks>
/// An incremental copies the overlay the previous backup's snapshot created (and the VM snapshot
/// overlays taken on top of it since). That is only correct when the VM still writes to that
/// overlay or to overlays on top of it: any restore, migration, redefinition, revert to a
/// snapshot taken before that backup or deleted delta breaks the link, and the next backup must be full.
/// </remarks>
public static class ChainRules
{
    /// <summary>Decides the next backup.</summary>
    /// <param name="requested">What the caller asked for.</param>
    /// <param name="chainSize">Offering's chain size (1 = always full, &lt; 1 = unlimited).</param>
    /// <param name="latest">The newest non-isolated backup of the VM in state BackedUp, or null.</param>
    /// <param name="chainEndedReason">Set when a restore, failed validation or delete ended the chain.</param>
    /// <param name="disks">The VM's included disks now.</param>
    /// <param name="strategy">The offering's strategy; a chain of the other strategy ends with a full.</param>
    /// <param name="bitmaps">For <see cref="BackupStrategy.Bitmap"/>: what libvirt and QEMU report now.</param>
    public static ChainDecision Decide(
        RequestedBackup requested, int chainSize, BackupRecord? latest,
        string? chainEndedReason, IReadOnlyList<CurrentDisk> disks,
        BackupStrategy strategy = BackupStrategy.Delta, BitmapFacts? bitmaps = null)
    {
        if (requested == RequestedBackup.Isolated)
            return new(BackupType.Isolated, null, null, 0, "isolated backup requested");
        if (requested == RequestedBackup.Full) return Full("full backup requested");
        if (latest is null) return Full("first backup of this VM");
        if (latest.State != BackupState.BackedUp || latest.ChainId is null)
            return Full($"the latest backup {latest.Id} is {latest.State}");
        if (chainEndedReason is not null) return Full($"the chain was ended: {chainEndedReason}");
        if (latest.Strategy != strategy)
            return Full($"the offering's strategy changed from {BackupStrategies.NameOf(latest.Strategy)} to {BackupStrategies.NameOf(strategy)}");
        if (chainSize == 1) return Full("the offering's chain size is 1 (every backup is full)");
        if (chainSize > 1 && latest.ChainPosition >= chainSize)
            return Full($"the chain is full ({latest.ChainPosition} of {chainSize})");

        var broken = strategy == BackupStrategy.Bitmap
            ? FindBrokenBitmap(latest, disks, bitmaps ?? throw new ArgumentNullException(nameof(bitmaps)))
            : FindBrokenLink(latest, disks);
        if (broken is not null) return Full(broken);

        return new(BackupType.Incremental, latest.Id, latest.ChainId, latest.ChainPosition + 1,
            $"incremental {latest.ChainPosition + 1} on top of {latest.Id}");
    }

    /// <summary>Why the VM's disks no longer continue the latest backup, or null when they do.</summary>
    public static string? FindBrokenLink(BackupRecord latest, IReadOnlyList<CurrentDisk> disks)
    {
        var previous = latest.Volumes.ToDictionary(v => v.Target, StringComparer.Ordinal);
        foreach (var disk in disks)
        {
            if (!previous.TryGetValue(disk.Target, out var volume))
                return $"disk {disk.Target} is not in the latest backup";
            if (volume.PrimaryDeltaPath is null)
                return $"the latest backup recorded no delta on primary for {disk.Target}";
            if (!string.Equals(volume.PrimaryDeltaPath, disk.ActivePath, StringComparison.Ordinal)
                && disk.Chain?.Contains(volume.PrimaryDeltaPath, StringComparer.Ordinal) != true)
                return $"disk {disk.Target} now runs on {disk.ActivePath}, not on the delta " +
                       $"{volume.PrimaryDeltaPath} (migrated, restored or redefined)";
            if (!disk.ActiveExists)
                return $"the delta {disk.ActivePath} of {disk.Target} is missing on primary";
        }
        if (disks.Count != previous.Count)
            return "the set of backed-up disks changed";
        return null;
    }

    /// <summary>Why a bitmap incremental cannot continue the latest backup, or null when it can: the VM runs,
    /// every disk can hold a persistent bitmap, the latest backup's checkpoint is still known to libvirt, and
    /// every disk's image carries its bitmap, recording and consistent.</summary>
    public static string? FindBrokenBitmap(BackupRecord latest, IReadOnlyList<CurrentDisk> disks, BitmapFacts facts)
    {
        if (!facts.Running) return "the VM is stopped: a bitmap incremental copies the changed blocks a running QEMU tracks";
        if (facts.RawDisks.Count > 0)
            return $"disk {string.Join(", ", facts.RawDisks)} is a raw image, which cannot hold a persistent dirty bitmap";
        if (latest.Checkpoint is not { } checkpoint)
            return $"the latest backup {latest.Id} created no checkpoint (the VM was stopped or a disk was raw)";
        var previous = latest.Volumes.Select(v => v.Target).ToHashSet(StringComparer.Ordinal);
        if (disks.FirstOrDefault(d => !previous.Contains(d.Target)) is { } added) return $"disk {added.Target} is not in the latest backup";
        if (disks.Count != previous.Count) return "the set of backed-up disks changed";
        if (!facts.Checkpoints.Contains(checkpoint))
            return $"checkpoint {checkpoint} of the latest backup is missing from libvirt (the VM was redefined or migrated, or the checkpoint deleted)";
        foreach (var disk in disks)
        {
            var bitmap = facts.Bitmaps.FirstOrDefault(b => b.File == disk.ActivePath && b.Name == checkpoint);
            if (bitmap is null)
                return $"disk {disk.Target} ({disk.ActivePath}) has no dirty bitmap {checkpoint} (the disk was replaced or the bitmap removed)";
            if (bitmap.Inconsistent)
                return $"the dirty bitmap {checkpoint} of disk {disk.Target} is inconsistent (QEMU stopped without saving it, e.g. killed)";
            if (!bitmap.Recording) return $"the dirty bitmap {checkpoint} of disk {disk.Target} is not recording";
        }
        return null;
    }

    private static ChainDecision Full(string reason) => new(BackupType.Full, null, null, 1, reason);
}
