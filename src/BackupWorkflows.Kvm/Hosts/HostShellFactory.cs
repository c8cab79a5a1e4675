using System.Globalization;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Creates a host shell from a host address: <c>local</c>, <c>ssh://user@host[:port]</c> (SSH.NET) or
/// <c>openssh://user@host[:port]</c> (the system OpenSSH client, which reads <c>~/.ssh/config</c>: jump hosts).</summary>
public static partial class HostShellFactory
{
    /// <summary>Parses <paramref name="hostUri"/> and creates the matching shell, its commands timed and counted
    /// (<see cref="HostCommandMetrics"/>).</summary>
    /// <param name="hostUri"><c>local</c>, <c>ssh://user@host[:port]</c> or <c>openssh://user@host[:port]</c> (IPv6 as <c>[::1]</c>).</param>
    /// <param name="identityFile">Private key for SSH; null uses the client's defaults.</param>
    /// <param name="knownHostsFile">known_hosts for SSH; null uses <c>~/.ssh/known_hosts</c>.</param>
    /// <param name="timeProvider">Clock for time limits.</param>
    /// <param name="hostKeyFingerprint">Pinned host key (<c>SHA256:…</c>), <c>ssh://</c> only.</param>
    /// <param name="identityPassphrase">Passphrase of the private key, <c>ssh://</c> only.</param>
    /// <exception cref="FormatException">The address is not one of the three forms; the message says what is wrong.</exception>
    public static IHostShell Create(
        string hostUri, string? identityFile = null, string? knownHostsFile = null, TimeProvider? timeProvider = null,
        string? hostKeyFingerprint = null, string? identityPassphrase = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        if (string.Equals(hostUri?.Trim(), "local", StringComparison.OrdinalIgnoreCase))
        {
            return new MeteredHostShell(new LocalHostShell(time), time);
        }

        var ssh = ParseSsh(hostUri) with
        {
            IdentityFile = identityFile, KnownHostsFile = knownHostsFile,
            HostKeyFingerprint = hostKeyFingerprint, IdentityPassphrase = identityPassphrase,
        };
        return new MeteredHostShell(IsOpenSsh(hostUri) ? new OpenSshHostShell(ssh, time) : new SshHostShell(ssh, time), time);
    }

    /// <summary>Whether the address is an <c>openssh://</c> one (run through the system OpenSSH client).</summary>
    public static bool IsOpenSsh(string? hostUri) => hostUri?.StartsWith(OpenSshScheme, StringComparison.OrdinalIgnoreCase) == true;

    private const string OpenSshScheme = "openssh://";

    /// <summary>Parses <c>ssh://user@host[:port]</c> or <c>openssh://user@host[:port]</c> into options (without key files).</summary>
    /// <exception cref="FormatException">The address is malformed.</exception>
    public static SshHostOptions ParseSsh(string? hostUri)
    {
        if (string.IsNullOrWhiteSpace(hostUri))
        {
            throw new FormatException("A host address is required: 'local' or 'ssh://user@host[:port]'.");
        }

        if (!hostUri.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) && !IsOpenSsh(hostUri))
        {
            throw new FormatException($"Host address '{hostUri}' is neither 'local' nor 'ssh://user@host[:port]' (or 'openssh://user@host[:port]').");
        }

        // Uri quietly trims and unescapes; an address is taken only exactly as written.
        if (hostUri.Length > 300)
        {
            throw new FormatException("The host address is longer than 300 characters: expected 'ssh://user@host[:port]'.");
        }

        if (hostUri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new FormatException("The host address must not contain spaces or control characters: expected 'ssh://user@host[:port]'.");
        }

        if (hostUri.EndsWith(':') || hostUri.IndexOf(":/", hostUri.IndexOf("://", StringComparison.Ordinal) + 1, StringComparison.Ordinal) >= 0)
        {
            throw new FormatException($"Host address '{hostUri}' has an empty port: leave out ':' or give a number from 1 to 65535.");
        }

        if (!Uri.TryCreate(hostUri, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown)
        {
            throw new FormatException($"Host address '{hostUri}' is not a valid URI: expected 'ssh://user@host[:port]'.");
        }

        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new FormatException($"Host address '{hostUri}' has no user: expected 'ssh://user@host[:port]'.");
        }

        if (uri.UserInfo.Contains(':'))
        {
            throw new FormatException($"Host address '{hostUri}' contains a password; use a key file instead.");
        }

        // A login name as POSIX and useradd allow it; no escapes, so what is checked is what ssh sends.
        var user = uri.UserInfo;
        if (!UserPattern().IsMatch(user))
        {
            throw new FormatException(
                $"Host address '{hostUri}' has an invalid user name: 1-32 letters, digits, '.', '_' or '-', starting with a letter or '_'.");
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new FormatException($"Host address '{hostUri}' must not have a path, query or fragment.");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 22 : uri.Port;
        if (port is < 1 or > 65535)
        {
            throw new FormatException($"Host address '{hostUri}' has an invalid port {port.ToString(CultureInfo.InvariantCulture)}.");
        }

        // Uri keeps the brackets of an IPv6 literal in Host; ssh wants them off.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return new SshHostOptions { User = user, HostName = host, Port = port };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9._-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex UserPattern();
}
