using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Chains;

/// <summary>The VM's disks as they are now on primary storage.</summary>
/// <param name="Target">Disk target (vda).</param>
/// <param name="ActivePath">The image the VM currently writes to.</param>
/// <param name="ActiveExists">Whether that image exists.</param>
/// <param name="Chain">The active image and its backing files, top first (VM snapshot overlays may lie
/// between the last backup's delta and the active image); null: the active image only.</param>
public sealed record CurrentDisk(string Target, string ActivePath, bool ActiveExists, IReadOnlyList<string>? Chain = null);

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
    public static ChainDecision Decide(
        RequestedBackup requested, int chainSize, BackupRecord? latest,
        string? chainEndedReason, IReadOnlyList<CurrentDisk> disks)
    {
        if (requested == RequestedBackup.Isolated)
            return new(BackupType.Isolated, null, null, 0, "isolated backup requested");
        if (requested == RequestedBackup.Full) return Full("full backup requested");
        if (latest is null) return Full("first backup of this VM");
        if (latest.State != BackupState.BackedUp || latest.ChainId is null)
            return Full($"the latest backup {latest.Id} is {latest.State}");
        if (chainEndedReason is not null) return Full($"the chain was ended: {chainEndedReason}");
        if (chainSize == 1) return Full("the offering's chain size is 1 (every backup is full)");
        if (chainSize > 1 && latest.ChainPosition >= chainSize)
            return Full($"the chain is full ({latest.ChainPosition} of {chainSize})");

        var broken = FindBrokenLink(latest, disks);
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

    private static ChainDecision Full(string reason) => new(BackupType.Full, null, null, 1, reason);
}
