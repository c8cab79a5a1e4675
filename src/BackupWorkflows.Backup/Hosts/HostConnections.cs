using System.Collections.Concurrent;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Hosts;

/// <summary>
/// One long-lived shell per registered host, so OpenSSH's ControlMaster connection is reused
/// by every activity that touches the host. Singleton; shells are safe for concurrent use.
/// </summary>
public sealed class HostConnections(TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Key, IHostShell Shell)> _shells = new(StringComparer.Ordinal);

    /// <summary>The shell for <paramref name="host"/>; recreated when its address or keys changed.</summary>
    public IHostShell ShellFor(HostRecord host)
    {
        var key = $"{host.Uri}\n{host.IdentityFile}\n{host.KnownHostsFile}";
        var entry = _shells.AddOrUpdate(host.Name,
            _ => (key, HostShellFactory.Create(host.Uri, host.IdentityFile, host.KnownHostsFile, time)),
            (_, old) => old.Key == key ? old
                : (key, HostShellFactory.Create(host.Uri, host.IdentityFile, host.KnownHostsFile, time)));
        return entry.Shell;
    }

    /// <summary>Typed calls (files, virsh, qemu-img, guest agent) on <paramref name="host"/>.</summary>
    public HostSession SessionFor(HostRecord host) => new(host, ShellFor(host));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, shell) in _shells.Values) await shell.DisposeAsync();
        _shells.Clear();
    }
}
