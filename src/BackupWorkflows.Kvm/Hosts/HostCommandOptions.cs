namespace BackupWorkflows.Kvm.Hosts;

/// <summary>How one host command runs: time limit, input, streamed output, accepted exit codes.</summary>
public sealed record HostCommandOptions
{
    /// <summary>Shared defaults: no time limit, no input, only exit code 0 accepted.</summary>
    public static HostCommandOptions Default { get; } = new();

    /// <summary>Time after which the command is killed and a <see cref="HostCommandException"/> with
    /// <see cref="HostCommandFailure.TimedOut"/> is thrown. Null (default) means no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Text written to the command's standard input (UTF-8), which is then closed.
    /// Null (default) closes standard input at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Called for each line of standard output as it arrives. Lines end at <c>\n</c> or
    /// <c>\r</c>, so progress printed with carriage returns arrives line by line too.</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>When set, standard output is copied to this stream as raw bytes (file contents, tar
    /// streams) instead of being decoded as text: <see cref="HostCommandResult.StandardOutput"/> is then
    /// empty and <see cref="OnOutputLine"/> is not called. A write to it that fails (a client that went
    /// away) kills the command and is thrown as it was. The stream is not closed.</summary>
    public Stream? StandardOutputTarget { get; init; }

    /// <summary>Called for each line of standard error as it arrives.</summary>
    public Action<string>? OnErrorLine { get; init; }

    /// <summary>Exit codes that count as success. Default: only 0. Any other code throws
    /// <see cref="HostCommandException"/>.</summary>
    public IReadOnlyCollection<int> SuccessExitCodes { get; init; } = [0];
}
