using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Backup.Hosts;

/// <summary>The typed calls an activity needs on one host, over one shared shell.</summary>
public sealed class HostSession(HostRecord host, IHostShell shell)
{
    /// <summary>The registered host.</summary>
    public HostRecord Host { get; } = host;

    /// <summary>The shell all calls run through.</summary>
    public IHostShell Shell { get; } = shell;

    /// <summary>File operations (exists, size, free space, sha256, rename, fsync).</summary>
    public HostFiles Files { get; } = new(shell);

    /// <summary>libvirt through virsh.</summary>
    public Virsh Virsh { get; } = new(shell, host.LibvirtUri);

    /// <summary>qemu-img.</summary>
    public QemuImg QemuImg { get; } = new(shell);

    /// <summary>The guest agent of one domain.</summary>
    public GuestAgent AgentOf(string domain) => new(Virsh, domain);
}
