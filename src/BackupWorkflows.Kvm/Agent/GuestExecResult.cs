using System.Text;

namespace BackupWorkflows.Kvm.Agent;

/// <summary>The end of a program run in the guest through <c>guest-exec</c>.</summary>
/// <param name="ExitCode">Exit code, or null when it was killed by a signal.</param>
/// <param name="Signal">The signal that killed it, or null.</param>
/// <param name="StandardOutputBytes">Captured standard output.</param>
/// <param name="StandardErrorBytes">Captured standard error.</param>
/// <param name="Truncated">The agent cut the captured output (its limit is 16 MiB per stream).</param>
public sealed record GuestExecResult(int? ExitCode, int? Signal, byte[] StandardOutputBytes, byte[] StandardErrorBytes, bool Truncated)
{
    /// <summary>Standard output as UTF-8 text.</summary>
    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

    /// <summary>Standard error as UTF-8 text.</summary>
    public string StandardError => Encoding.UTF8.GetString(StandardErrorBytes);
}

/// <summary>The guest's file-system freeze state (<c>guest-fsfreeze-status</c>).</summary>
public enum FreezeStatus
{
    /// <summary>File systems are writable.</summary>
    Thawed,

    /// <summary>File systems are frozen: writes block until thawed.</summary>
    Frozen,
}

/// <summary>A program run in the guest failed or could not be followed.</summary>
public sealed class GuestExecException(string message, GuestExecResult? result = null) : Exception(message)
{
    /// <summary>What the program left, when it ended.</summary>
    public GuestExecResult? Result { get; } = result;
}
