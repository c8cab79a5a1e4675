using System.Text.RegularExpressions;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Server.Errors;

namespace BackupWorkflows.Server.Apis;

/// <summary>Pins an ssh:// host's key when the host is added: the key is read from the host and accepted only
/// when the admin's fingerprint matches it or the admin's known_hosts file holds it.</summary>
public static partial class HostKeyPins
{
    /// <summary>Whether <paramref name="value"/> is a fingerprint as <c>ssh-keygen -l</c> prints it.</summary>
    public static bool IsFingerprint(string value) => FingerprintPattern().IsMatch(value);

    /// <summary>Reads the host's key and returns its fingerprint to pin.</summary>
    /// <exception cref="InputException">The host cannot be reached (<c>uri</c>), the key does not match <paramref name="hostKey"/>
    /// (<c>hostKey</c>) or is not in <paramref name="knownHostsFile"/> (<c>knownHostsFile</c>), or neither was given
    /// (<c>hostKey</c>: the message shows the presented fingerprint).</exception>
    public static async Task<string> PinAsync(SshHostOptions host, string? hostKey, string? knownHostsFile, CancellationToken ct)
    {
        var address = host.Label;
        PresentedHostKey presented;
        try
        {
            presented = await PresentedHostKey.ReadAsync(host, ct);
        }
        catch (HostCommandException e)
        {
            throw Problem("uri", $"cannot read the host key of {address}: {e.StandardErrorTail}");
        }

        var fingerprint = presented.Fingerprint;
        if (hostKey is not null)
        {
            return string.Equals(hostKey, fingerprint, StringComparison.Ordinal) ? fingerprint
                : throw Problem("hostKey", $"does not match: {address} presents the {presented.KeyType} key {fingerprint}, not {hostKey}.");
        }

        if (knownHostsFile is not null)
        {
            return HostKeyTrust.Refusal(host with { KnownHostsFile = knownHostsFile }, presented.KeyType, presented.KeyBlob) is { } refusal
                ? throw Problem("knownHostsFile", refusal)
                : fingerprint;
        }

        throw Problem("hostKey", $"is required to trust {address}: it presents the {presented.KeyType} key {fingerprint}. "
            + $"Check it on the host (ssh-keygen -l -f /etc/ssh/ssh_host_*_key.pub) and pass it as hostKey (bwf host add --host-key {fingerprint}), "
            + "or give a knownHostsFile that holds it.");
    }

    private static InputException Problem(string field, string message) => new(field, message);

    [GeneratedRegex(@"^SHA256:[A-Za-z0-9+/]{43}$")]
    private static partial Regex FingerprintPattern();
}
