namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Runs commands as child processes of the orchestrator: the <c>local</c> host.</summary>
public sealed class LocalHostShell : IHostShell
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the local shell.</summary>
    public LocalHostShell(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public string Host => "local";

    /// <inheritdoc />
    public async Task<HostCommandResult> RunAsync(
        IReadOnlyList<string> arguments,
        HostCommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        HostCommandValidation.RequireArguments(arguments);
        options ??= HostCommandOptions.Default;
        var outcome = await ProcessRunner.RunAsync(
            Host, arguments, arguments, options, options.Timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        if (outcome.TimedOut)
        {
            throw new HostCommandException(Host, arguments, HostCommandFailure.TimedOut, null, outcome.StandardError);
        }

        if (!options.SuccessExitCodes.Contains(outcome.ExitCode))
        {
            throw new HostCommandException(Host, arguments, HostCommandFailure.NonZeroExit, outcome.ExitCode, outcome.StandardError);
        }

        return new HostCommandResult(Host, arguments, outcome.ExitCode, outcome.StandardOutput, outcome.StandardError, outcome.Duration);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
