namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Where and how to reach a host over the system OpenSSH client.</summary>
public sealed record SshHostOptions
{
    /// <summary>Remote user name.</summary>
    public required string User { get; init; }

    /// <summary>Host name or IP address.</summary>
    public required string HostName { get; init; }

    /// <summary>TCP port. Default 22.</summary>
    public int Port { get; init; } = 22;

    /// <summary>Private key file (<c>-i</c>). Null uses the client's default keys.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>known_hosts file holding the host's key. Null uses <c>~/.ssh/known_hosts</c>.
    /// Host keys are always checked strictly; an unknown host is refused, never added.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>TCP connect time limit. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle shared connection stays open. Default 60 s.</summary>
    public TimeSpan ControlPersist { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Parent directory for the connection-sharing sockets; each shell instance makes its own
    /// subdirectory. Default: a private per-user directory under the temp directory. Keep it short:
    /// a Unix socket path is limited to 107 bytes.</summary>
    public string? ControlDirectory { get; init; }

    /// <summary>Extra time a remote command gets, beyond its own time limit, before the local
    /// ssh client is killed. The remote side is stopped by <c>timeout</c> first. Default 10 s.</summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(10);
}
