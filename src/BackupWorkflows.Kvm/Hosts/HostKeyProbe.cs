using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>The key an SSH host presents, read before anything is trusted (for pinning it when the host is added).</summary>
/// <param name="KeyType">The key's algorithm, e.g. <c>ssh-ed25519</c>.</param>
/// <param name="KeyBlob">The public key blob as on the wire (and in known_hosts).</param>
public sealed record PresentedHostKey(string KeyType, byte[] KeyBlob)
{
    /// <summary>The key's fingerprint, <c>SHA256:…</c>.</summary>
    public string Fingerprint => KnownHosts.Fingerprint(KeyBlob);

    /// <summary>Connects to the host, reads its key during the key exchange and disconnects without
    /// authenticating (the key is refused, so no credentials are ever sent).</summary>
    /// <exception cref="HostCommandException">The host cannot be reached (<see cref="HostCommandFailure.Unreachable"/>).</exception>
    public static async Task<PresentedHostKey> ReadAsync(SshHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        PresentedHostKey? presented = null;
        var info = new ConnectionInfo(options.HostName, options.Port, options.User, new NoneAuthenticationMethod(options.User))
        {
            Timeout = options.ConnectTimeout,
        };
        using var client = new SshClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            presented = new PresentedHostKey(e.HostKeyName, e.HostKey);
            e.CanTrust = false;
        };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.ConnectTimeout);
        Exception? failure = null;
        try
        {
            await client.ConnectAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            failure = e;
        }

        return presented ?? throw new HostCommandException(options.Label, ["ssh-keyscan"],
            HostCommandFailure.Unreachable, null, failure is OperationCanceledException
                ? $"connection timed out after {options.ConnectTimeout}" : failure?.Message ?? "the host presented no key", failure);
    }
}
