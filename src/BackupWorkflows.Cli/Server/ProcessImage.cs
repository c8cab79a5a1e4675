using System.Runtime.InteropServices;

namespace BackupWorkflows.Cli.Server;

/// <summary>Replaces the running process with another program (POSIX <c>execv</c>), keeping its pid.</summary>
internal static class ProcessImage
{
    // LPStr is UTF-8 on Unix (LPUTF8Str is not accepted for array elements).
    [DllImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static extern int Execv([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv);

    [DllImport("libc", EntryPoint = "sigprocmask", SetLastError = true)]
    private static extern int SigProcMask(int how, byte[] set, IntPtr oldSet);

    private const int SigSetMask = 2;

    /// <summary>
    /// Runs <paramref name="program"/> (an absolute path) with <paramref name="arguments"/> in place of this process:
    /// same pid, environment, working directory and standard streams. Returns only on failure, with the reason.
    /// </summary>
    /// <remarks>
    /// The signal mask survives an exec, so it is cleared first: the runtime may block signals on the calling
    /// thread, and a server started with SIGTERM blocked could not be stopped gracefully. Handlers are reset by
    /// the exec itself; the runtime's own file descriptors are close-on-exec.
    /// </remarks>
    public static string Replace(string program, IReadOnlyList<string> arguments)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        string?[] argv = [program, .. arguments, null];
        SigProcMask(SigSetMask, new byte[128], IntPtr.Zero);
        Execv(program, argv);
        return Marshal.GetLastPInvokeErrorMessage();
    }
}
