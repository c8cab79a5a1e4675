namespace BackupWorkflows.Kvm.Domains;

/// <summary>What a disk-only snapshot does with one disk: a new external overlay file, or nothing.</summary>
/// <param name="Target">Guest device name, e.g. <c>vda</c>.</param>
/// <param name="OverlayFile">Path of the new overlay (qcow2); null excludes the disk (<c>snapshot=no</c>).</param>
public sealed record DiskSnapshotSpec(string Target, string? OverlayFile)
{
    /// <summary>Snapshot <paramref name="target"/> into a new overlay at <paramref name="overlayFile"/>.</summary>
    public static DiskSnapshotSpec External(string target, string overlayFile) => new(target, overlayFile);

    /// <summary>Leave <paramref name="target"/> out of the snapshot.</summary>
    public static DiskSnapshotSpec Excluded(string target) => new(target, null);

    /// <summary>The <c>--diskspec</c> value. virsh splits it on commas and reads a doubled comma as
    /// a literal one, so commas in names are doubled; nothing else needs escaping (it is one argument).</summary>
    internal string ToDiskSpec()
    {
        if (Target.Contains(','))
        {
            throw new ArgumentException($"Disk target '{Target}' cannot contain a comma.");
        }

        return OverlayFile is null
            ? $"{Target},snapshot=no"
            : $"{Target},snapshot=external,driver=qcow2,file={OverlayFile.Replace(",", ",,", StringComparison.Ordinal)}";
    }
}
