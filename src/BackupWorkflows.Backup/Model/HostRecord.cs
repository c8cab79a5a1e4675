namespace BackupWorkflows.Backup.Model;

/// <summary>A KVM hypervisor that backups run on: <c>local</c>, <c>ssh://user@host:port</c> or <c>openssh://user@host:port</c>.</summary>
public sealed class HostRecord
{
    /// <summary>Unique, user-chosen name (letters, digits, '-', '_', '.').</summary>
    public required string Name { get; set; }

    /// <summary><c>local</c>, <c>ssh://user@host[:port]</c> (SSH.NET) or <c>openssh://user@host[:port]</c> (the OpenSSH client).</summary>
    public required string Uri { get; set; }

    /// <summary>SSH identity file on the orchestrator, for ssh hosts.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>known_hosts file used with strict host-key checking, for ssh hosts.</summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>The host key's fingerprint (<c>SHA256:…</c>) pinned when the host was added (<c>ssh://</c> hosts);
    /// a host presenting another key is refused.</summary>
    public string? HostKeyFingerprint { get; set; }

    /// <summary>File on the orchestrator holding the passphrase of <see cref="IdentityFile"/> (a mounted secret), if it has one.</summary>
    public string? IdentityPassphraseFile { get; set; }

    /// <summary>Directory on the host where fulls are staged before they go to the repository.</summary>
    public required string StagingDir { get; set; }

    /// <summary>Bytes the staging directory may hold at once; 0 = only its file system's free space.</summary>
    public long StagingCapacityBytes { get; set; }

    /// <summary>How many backups may run on this host at once.</summary>
    public int MaxConcurrentBackups { get; set; } = 2;

    /// <summary>How many compressions may run on this host at once; -1 = no limit of its own. The global
    /// setting <c>compression.max.concurrent.per.host</c> applies too (see <see cref="Jobs.CompressionLimit"/>).</summary>
    public int MaxConcurrentCompressions { get; set; } = 5;

    /// <summary>libvirt connection URI on the host.</summary>
    public string LibvirtUri { get; set; } = "qemu:///system";

    public DateTimeOffset CreatedAt { get; set; }
}
