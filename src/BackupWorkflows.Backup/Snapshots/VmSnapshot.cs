namespace BackupWorkflows.Backup.Snapshots;

/// <summary>Where a VM snapshot is in its life.</summary>
public enum SnapshotState
{
    /// <summary>Registered; its overlays are being taken.</summary>
    Creating,
    /// <summary>Taken: the VM can be reverted to it.</summary>
    Ready,
    /// <summary>Deleted by the operator, but its image is still needed (by later snapshots or the
    /// running disk) and kept until nothing needs it; it cannot be reverted to.</summary>
    Removed,
    /// <summary>Gone: its image was merged away or deleted.</summary>
    Deleted,
    /// <summary>Taking it failed; nothing of it is left on the disks.</summary>
    Error,
    /// <summary>A restore rewrote a disk below its image, so it no longer matches the disks; it cannot be
    /// reverted to (<see cref="VmSnapshot.Error"/> says why) and its files go.</summary>
    Stale,
}

/// <summary>
/// A disk-only snapshot of a VM: per disk, the image it froze (its state is that image with its
/// backing chain) and the overlay the VM went on writing to. No libvirt snapshot metadata exists.
/// </summary>
public sealed class VmSnapshot
{
    public Guid Id { get; set; }

    /// <summary>Host the VM runs on (by name).</summary>
    public required string HostName { get; set; }

    /// <summary>libvirt domain name.</summary>
    public required string VmName { get; set; }

    /// <summary>The operator's name for it (unique per VM among snapshots not deleted).</summary>
    public required string Name { get; set; }

    public SnapshotState State { get; set; }

    /// <summary>Whether the guest's file systems were frozen for it.</summary>
    public bool Quiesced { get; set; }

    /// <summary>Whether the VM was running when it was taken.</summary>
    public bool VmWasRunning { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Workflow instance that took it (a resumed attempt finds its record by it).</summary>
    public string? InstanceId { get; set; }

    /// <summary>Why taking it failed (state Error), or why it is Stale.</summary>
    public string? Error { get; set; }

    /// <summary>One entry per disk it covers.</summary>
    public List<SnapshotDisk> Disks { get; set; } = [];
}

/// <summary>One disk of a VM snapshot.</summary>
public sealed class SnapshotDisk
{
    public Guid Id { get; set; }

    public Guid SnapshotId { get; set; }

    /// <summary>Disk target (vda).</summary>
    public required string Target { get; set; }

    /// <summary>The image the snapshot froze. It moves down the chain when the image is merged into
    /// its backing file (which then holds the same data).</summary>
    public required string ImagePath { get; set; }

    /// <summary>Format of <see cref="ImagePath"/> (qcow2 or raw).</summary>
    public required string ImageFormat { get; set; }

    /// <summary>The overlay created on top of the image when the snapshot was taken.</summary>
    public required string OverlayPath { get; set; }
}
