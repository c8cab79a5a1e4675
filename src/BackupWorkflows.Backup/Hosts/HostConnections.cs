using System.Collections.Concurrent;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Hosts;

/// <summary>
/// One long-lived shell per registered host, so its one SSH connection (SSH.NET, or OpenSSH's ControlMaster)
/// is reused by every activity that touches the host. Singleton; shells are safe for concurrent use.
/// </summary>
public sealed class HostConnections(TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Key, IHostShell Shell)> _shells = new(StringComparer.Ordinal);

    /// <summary>The shell for <paramref name="host"/>; recreated when its address, keys or pinned host key changed.</summary>
    /// <exception cref="HostCommandException">The private key's passphrase file cannot be read.</exception>
    public IHostShell ShellFor(HostRecord host)
    {
        var key = $"{host.Uri}\n{host.IdentityFile}\n{host.KnownHostsFile}\n{host.HostKeyFingerprint}\n{host.IdentityPassphraseFile}";
        var entry = _shells.AddOrUpdate(host.Name, _ => (key, Create(host)), (_, old) => old.Key == key ? old : (key, Create(host)));
        return entry.Shell;
    }

    private IHostShell Create(HostRecord host) =>
        HostShellFactory.Create(host.Uri, host.IdentityFile, host.KnownHostsFile, time, host.HostKeyFingerprint, Passphrase(host));

    private static string? Passphrase(HostRecord host)
    {
        if (host.IdentityPassphraseFile is not { } file) return null;
        try
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostCommandException(host.Uri, ["ssh"], HostCommandFailure.Unreachable, null,
                $"cannot read the private key's passphrase file {file}: {e.Message}", e);
        }
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
