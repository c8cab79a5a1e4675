namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// The one host-key decision of <see cref="SshHostShell"/>: a key revoked in the known_hosts file is refused;
/// then a pinned fingerprint must match exactly; without a pin the known_hosts file (the given one, else
/// <c>~/.ssh/known_hosts</c>) must hold the key. Unknown hosts are refused, never added.
/// </summary>
public static class HostKeyTrust
{
    /// <summary>Decides on the key <paramref name="keyBlob"/> that <paramref name="options"/>' host presented.</summary>
    /// <returns>Null when the key is trusted, else why not (names host, presented and expected fingerprints).</returns>
    public static string? Refusal(SshHostOptions options, string keyType, byte[] keyBlob)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = options.Label;
        var presented = KnownHosts.Fingerprint(keyBlob);
        var file = options.KnownHostsFile ?? DefaultKnownHostsFile;
        var fileExists = File.Exists(file);
        var (verdict, known) = fileExists
            ? KnownHosts.Check(file, options.HostName, options.Port, keyBlob)
            : (HostKeyVerdict.Unknown, []);
        if (verdict == HostKeyVerdict.Revoked)
        {
            return $"Host key verification failed: host '{host}' presented the {keyType} key {presented}, which {file} marks @revoked.";
        }

        if (options.HostKeyFingerprint is { } pinned)
        {
            return string.Equals(pinned, presented, StringComparison.Ordinal) ? null
                : $"Host key verification failed: the key of host '{host}' changed: it presented the {keyType} key {presented}, "
                  + $"but {pinned} is pinned for it. If the host's key was changed on purpose, remove the host and add it again with --host-key {presented}.";
        }

        return verdict switch
        {
            HostKeyVerdict.Trusted => null,
            HostKeyVerdict.Changed =>
                $"Host key verification failed: the key of host '{host}' changed: it presented the {keyType} key {presented}, "
                + $"but {file} holds {string.Join(", ", known)} for it.",
            _ => fileExists
                ? $"Host key verification failed: host '{host}' presented the {keyType} key {presented}, which {file} does not hold."
                : $"Host key verification failed: host '{host}' presented the {keyType} key {presented}, and there is no known_hosts file {file}.",
        };
    }

    private static string DefaultKnownHostsFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");
}
