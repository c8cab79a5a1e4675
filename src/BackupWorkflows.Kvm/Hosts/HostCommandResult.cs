namespace BackupWorkflows.Kvm.Hosts;

/// <summary>The outcome of a host command that ended with an accepted exit code.</summary>
/// <param name="Host">The host it ran on (<c>local</c> or <c>user@host:port</c>).</param>
/// <param name="Arguments">The command as an argument list.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">All of standard output.</param>
/// <param name="StandardError">All of standard error.</param>
/// <param name="Duration">Wall-clock time it took.</param>
public sealed record HostCommandResult(
    string Host,
    IReadOnlyList<string> Arguments,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration);
