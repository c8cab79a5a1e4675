namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Where and how to reach a host over SSH (<see cref="SshHostShell"/> or <see cref="OpenSshHostShell"/>).</summary>
public sealed record SshHostOptions
{
    /// <summary>Remote user name.</summary>
    public required string User { get; init; }

    /// <summary>Host name or IP address.</summary>
    public required string HostName { get; init; }

    /// <summary>TCP port. Default 22.</summary>
    public int Port { get; init; } = 22;

    /// <summary>The host as errors, logs and <see cref="IHostShell.Host"/> name it: <c>user@host:port</c>.</summary>
    public string Label => $"{User}@{HostName}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Private key file (OpenSSH format). Null uses the client's default keys (<c>~/.ssh/id_ed25519</c>,
    /// <c>id_ecdsa</c>, <c>id_rsa</c> for SSH.NET).</summary>
    public string? IdentityFile { get; init; }

    /// <summary>Passphrase of <see cref="IdentityFile"/>; null for a key without one. SSH.NET only.</summary>
    public string? IdentityPassphrase { get; init; }

    /// <summary>The host key's pinned fingerprint (<c>SHA256:…</c>); when set, a host presenting any other key is
    /// refused (and a key revoked in <see cref="KnownHostsFile"/> still is). SSH.NET only.</summary>
    public string? HostKeyFingerprint { get; init; }

    /// <summary>How many commands run at once over the one connection (SSH session channels); more wait.
    /// Default 10, sshd's default <c>MaxSessions</c>. SSH.NET only.</summary>
    public int MaxChannels { get; init; } = 10;

    /// <summary>How often an idle connection is probed, so a dead peer or a NAT drop is noticed. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>known_hosts file holding the host's key. Null uses <c>~/.ssh/known_hosts</c>.
    /// Host keys are always checked strictly; an unknown host is refused, never added.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>TCP connect time limit. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle shared connection stays open. Default 60 s. OpenSSH only.</summary>
    public TimeSpan ControlPersist { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Parent directory for the connection-sharing sockets; each shell instance makes its own
    /// subdirectory. Default: a private per-user directory under the temp directory. Keep it short:
    /// a Unix socket path is limited to 107 bytes. OpenSSH only.</summary>
    public string? ControlDirectory { get; init; }

    /// <summary>Extra time a remote command gets, beyond its own time limit, before the local
    /// client gives up on it. The remote side is stopped by <c>timeout</c> first. Default 10 s.</summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(10);
}
