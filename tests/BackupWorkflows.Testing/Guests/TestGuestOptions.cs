namespace BackupWorkflows.Testing.Guests;

/// <summary>How a <see cref="TestGuest"/> is made.</summary>
public sealed record TestGuestOptions
{
    /// <summary>Size of the root data disk vda (ext4, mounted at /mnt/vda). Default 64 MiB.</summary>
    public int RootDiskMiB { get; init; } = 64;

    /// <summary>Size of a second data disk vdb (ext4, mounted at /mnt/vdb); null (default) for none.</summary>
    public int? DataDiskMiB { get; init; }

    /// <summary>Guest memory. Default 256 MiB.</summary>
    public int MemoryMiB { get; init; } = 256;

    /// <summary>Directory for disks and console log; may contain spaces and quotes. It is created
    /// (mode 0755) and kept on dispose (only the guest's own files are deleted). Its parents must be
    /// traversable by libvirt's qemu user. Null (default): a fresh directory under /var/tmp/bwf-guests,
    /// deleted on dispose.</summary>
    public string? Directory { get; init; }

    /// <summary>libvirt URI. Default <c>qemu:///system</c>.</summary>
    public string ConnectionUri { get; init; } = "qemu:///system";

    /// <summary>How long boot may take until the agent answers. Default 120 s (TCG on a busy 2-core CI machine).</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Start the guest and wait for its agent. Default true; false only defines it.</summary>
    public bool Start { get; init; } = true;
}
