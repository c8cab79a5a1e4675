using System.Globalization;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// How a command becomes one remote command line, for both SSH clients: in the C locale, under the remote
/// <c>timeout</c> when it has a time limit, reporting its pid first and carrying a unique token in its
/// environment, so a cancelled command can be stopped on the host (<see cref="StopLine"/>). The line is
/// built only by <see cref="PosixShell.Join"/>.
/// </summary>
internal sealed class RemoteCommand
{
    /// <summary>The exit code of the remote <c>timeout</c> when the limit was hit.</summary>
    public const int TimeoutExitCode = 124;
    private const string PidMarker = "bwf-remote-pid:";
    private const string TokenVariable = "BWF_COMMAND_TOKEN";
    private readonly string _token = Guid.NewGuid().ToString("N");
    private int _remotePid;

    /// <summary>Wraps <paramref name="arguments"/>; <paramref name="options"/>' error-line callback no longer sees the pid line.</summary>
    public RemoteCommand(IReadOnlyList<string> arguments, HostCommandOptions options, TimeSpan timeoutGrace)
    {
        Arguments = arguments;
        // Outputs and error messages are parsed: run in the C locale on the remote side too, as
        // ProcessRunner does locally (the remote login may set another locale).
        IReadOnlyList<string> remote = ["env", "LC_ALL=C.UTF-8", .. arguments];
        if (options.Timeout is { } limit)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            remote = ["timeout", "-k", "5", seconds, .. remote];
            KillAfter = limit + timeoutGrace;
        }

        // The remote side first reports its pid on stderr, then execs the command under that pid.
        remote = ["env", $"{TokenVariable}={_token}", "sh", "-c", $"echo {PidMarker}$$ >&2; exec \"$@\"", "sh", .. remote];
        Line = PosixShell.Join(remote);
        var callerErrorLine = options.OnErrorLine;
        Options = options with
        {
            OnErrorLine = line =>
            {
                if (Volatile.Read(ref _remotePid) == 0 && line.StartsWith(PidMarker, StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(PidMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    Volatile.Write(ref _remotePid, pid);
                    return;
                }

                callerErrorLine?.Invoke(line);
            },
        };
    }

    /// <summary>The command as the caller gave it.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The remote command line.</summary>
    public string Line { get; }

    /// <summary>The caller's options with the pid line taken out of the error lines.</summary>
    public HostCommandOptions Options { get; }

    /// <summary>When the client gives up on a command with a time limit (limit plus grace); null without a limit.</summary>
    public TimeSpan? KillAfter { get; }

    /// <summary>The command line that stops this command on the host: its process group if it leads one (sshd
    /// starts each session in a new session), else the process itself, and every process that carries the
    /// command's token (covers a cancel that came before the pid line).</summary>
    public string StopLine
    {
        get
        {
            var pid = Volatile.Read(ref _remotePid).ToString(CultureInfo.InvariantCulture);
            const string script = "[ \"$1\" -gt 0 ] && { kill -TERM -- -\"$1\" 2>/dev/null || kill -TERM \"$1\"; }; " +
                "for e in /proc/[0-9]*/environ; do grep -qsz \"^$2=$3$\" \"$e\" && q=${e#/proc/} && kill -TERM \"${q%/environ}\" 2>/dev/null; done; true";
            return PosixShell.Join(["sh", "-c", script, "sh", pid, TokenVariable, _token]);
        }
    }

    /// <summary>
    /// How a remote command that ended with <paramref name="exitCode"/> counts, the same for both SSH clients: the remote
    /// <c>timeout</c> stopping it at its limit is <see cref="HostCommandFailure.TimedOut"/>, an accepted code is the result,
    /// the client's own failure code (<paramref name="clientFailureCode"/>: 255 for OpenSSH) is
    /// <see cref="HostCommandFailure.Unreachable"/>, any other code <see cref="HostCommandFailure.NonZeroExit"/>.
    /// </summary>
    /// <exception cref="HostCommandException">The command did not succeed.</exception>
    public HostCommandResult Result(
        string host, int exitCode, string standardOutput, string standardError, TimeSpan duration, int? clientFailureCode = null)
    {
        var error = WithoutPidLine(standardError);
        if (Options.Timeout is { } t && exitCode == TimeoutExitCode && duration >= t)
        {
            throw new HostCommandException(host, Arguments, HostCommandFailure.TimedOut, null, error);
        }

        if (Options.SuccessExitCodes.Contains(exitCode))
        {
            return new HostCommandResult(host, Arguments, exitCode, standardOutput, error, duration);
        }

        var failure = exitCode == clientFailureCode ? HostCommandFailure.Unreachable : HostCommandFailure.NonZeroExit;
        throw new HostCommandException(host, Arguments, failure, exitCode, error);
    }

    /// <summary>The command ran past its limit plus grace and the client gave up on it (it was stopped on the host).</summary>
    public HostCommandException TimedOut(string host, string standardError) =>
        new(host, Arguments, HostCommandFailure.TimedOut, null, WithoutPidLine(standardError));

    /// <summary>Standard error without the pid line the wrapper printed first.</summary>
    public static string WithoutPidLine(string standardError)
    {
        if (!standardError.StartsWith(PidMarker, StringComparison.Ordinal))
        {
            return standardError;
        }

        var end = standardError.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? string.Empty : standardError[(end + 1)..];
    }
}
