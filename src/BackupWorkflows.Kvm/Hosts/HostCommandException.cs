namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Why a host command failed.</summary>
public enum HostCommandFailure
{
    /// <summary>It ran and ended with an exit code that was not accepted.</summary>
    NonZeroExit,

    /// <summary>It ran longer than its time limit and was killed.</summary>
    TimedOut,

    /// <summary>The host could not be reached (ssh exit code 255: connection, authentication
    /// or host-key failure).</summary>
    Unreachable,

    /// <summary>The program could not be started at all (for example, not installed).</summary>
    StartFailed,
}

/// <summary>
/// A host command failed. The message names the host, the command (as a copy-pastable shell
/// line), the exit code and the tail of standard error, so an incident is readable on its own.
/// </summary>
public sealed class HostCommandException : Exception
{
    /// <summary>How many characters of standard error the message and <see cref="StandardErrorTail"/> keep.</summary>
    public const int TailLength = 2000;

    /// <summary>Creates the exception; <paramref name="standardError"/> is cut to its last <see cref="TailLength"/> characters.</summary>
    public HostCommandException(
        string host,
        IReadOnlyList<string> arguments,
        HostCommandFailure failure,
        int? exitCode,
        string standardError,
        Exception? inner = null)
        : base(BuildMessage(host, arguments, failure, exitCode, Tail(standardError)), inner)
    {
        Host = host;
        Arguments = arguments;
        Failure = failure;
        ExitCode = exitCode;
        StandardErrorTail = Tail(standardError);
    }

    /// <summary>The host the command ran on.</summary>
    public string Host { get; }

    /// <summary>The command as an argument list.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The command as one shell-quoted line.</summary>
    public string CommandLine => PosixShell.Join(Arguments);

    /// <summary>Why it failed.</summary>
    public HostCommandFailure Failure { get; }

    /// <summary>Its exit code, when it ran to an end.</summary>
    public int? ExitCode { get; }

    /// <summary>The last <see cref="TailLength"/> characters of standard error.</summary>
    public string StandardErrorTail { get; }

    private static string Tail(string text) =>
        text.Length <= TailLength ? text.Trim() : text[^TailLength..].Trim();

    private static string BuildMessage(
        string host, IReadOnlyList<string> arguments, HostCommandFailure failure, int? exitCode, string stderrTail)
    {
        var what = failure switch
        {
            HostCommandFailure.TimedOut => "timed out",
            HostCommandFailure.Unreachable => "could not reach the host",
            HostCommandFailure.StartFailed => "could not be started",
            _ => "failed",
        };
        var code = exitCode is { } c ? $" (exit code {c})" : string.Empty;
        var stderr = stderrTail.Length > 0 ? $": {stderrTail}" : string.Empty;
        return $"Command on host '{host}' {what}{code}: {PosixShell.Join(arguments)}{stderr}";
    }
}
