namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// Runs commands on one hypervisor host: the orchestrator's own machine (<c>local</c>) or a
/// remote one over OpenSSH. Commands are argument lists; nothing is ever concatenated into a
/// shell line except through <see cref="PosixShell"/>.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface IHostShell : IAsyncDisposable
{
    /// <summary>The host as shown in errors and logs: <c>local</c> or <c>user@host:port</c>.</summary>
    string Host { get; }

    /// <summary>Runs a command to its end.</summary>
    /// <param name="arguments">Program and arguments; the program is looked up on the host's PATH.</param>
    /// <param name="options">Time limit, input, streamed output, accepted exit codes.</param>
    /// <param name="cancellationToken">Kills the command when cancelled.</param>
    /// <exception cref="HostCommandException">Non-accepted exit code, time-out, unreachable host or start failure.</exception>
    /// <exception cref="OperationCanceledException">Cancelled by <paramref name="cancellationToken"/>.</exception>
    Task<HostCommandResult> RunAsync(
        IReadOnlyList<string> arguments,
        HostCommandOptions? options = null,
        CancellationToken cancellationToken = default);
}
