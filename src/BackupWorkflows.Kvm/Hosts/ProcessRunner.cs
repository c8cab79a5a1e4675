using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// Runs one local child process with an argument list, streams its output line by line,
/// enforces a time limit and turns failures into <see cref="HostCommandException"/>.
/// Both shells use it: the local one for the command itself, the SSH one for the <c>ssh</c> client.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>What a finished process produced, before exit codes are judged.</summary>
    internal sealed record Outcome(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, bool TimedOut);

    public static async Task<Outcome> RunAsync(
        string host,
        IReadOnlyList<string> displayArguments,
        IReadOnlyList<string> processArguments,
        HostCommandOptions options,
        TimeSpan? killAfter,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(processArguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in processArguments.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Child processes must not inherit a translated locale: tools' outputs are parsed.
        startInfo.Environment["LC_ALL"] = "C.UTF-8";

        using var process = new Process { StartInfo = startInfo };
        var started = timeProvider.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new HostCommandException(host, displayArguments, HostCommandFailure.StartFailed, null, e.Message, e);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var copyFailed = new CancellationTokenSource();
        var readOut = options.StandardOutputTarget is { } target
            ? CopyBytesAsync(process.StandardOutput.BaseStream, target, copyFailed)
            : PumpAsync(process.StandardOutput, stdout, options.OnOutputLine);
        var readErr = PumpAsync(process.StandardError, stderr, options.OnErrorLine);

        using var timeout = killAfter is { } limit
            ? new CancellationTokenSource(limit, timeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, copyFailed.Token);
        var timedOut = false;
        try
        {
            await WriteInputAsync(process, options.StandardInput, linked.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = !copyFailed.IsCancellationRequested;
        }

        // The pipes close when the process (and any child holding them) exits.
        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        var elapsed = timeProvider.GetElapsedTime(started);
        return new Outcome(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), elapsed, timedOut);
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading all its input; its exit code tells the rest.
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Copies raw output to <paramref name="target"/>; a failed write cancels <paramref name="failed"/>
    /// (which kills the process) and is rethrown once the process is gone.</summary>
    private static async Task CopyBytesAsync(Stream output, Stream target, CancellationTokenSource failed)
    {
        WidenPipe(output);
        try
        {
            await output.CopyToAsync(target, 256 * 1024).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes the output pipe hold 1 MiB instead of Linux's 64 KiB. A byte stream (a 1 GiB file) otherwise
    /// arrives in 16,384 reads, each an asynchronous wake-up on the thread pool: on a loaded machine those
    /// wake-ups, not the disk, set the throughput. Best effort: without it the copy is only slower.
    /// </summary>
    private static void WidenPipe(Stream output)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var handle = output switch
        {
            FileStream f => f.SafeFileHandle.DangerousGetHandle(),
            System.IO.Pipes.PipeStream p => p.SafePipeHandle.DangerousGetHandle(),
            _ => IntPtr.Zero,
        };
        if (handle != IntPtr.Zero)
        {
            const int SetPipeSize = 1031; // F_SETPIPE_SZ
            _ = NativeMethods.Fcntl((int)handle, SetPipeSize, 1 << 20);
        }
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static extern int Fcntl(int fd, int command, int argument);
    }

    /// <summary>Reads a stream to its end, keeping all text and emitting lines ended by \n, \r or \r\n.</summary>
    /// <param name="reader">The stream to read.</param>
    /// <param name="all">Receives all text.</param>
    /// <param name="onLine">Receives each line, if given.</param>
    /// <param name="blocking">Read synchronously (for streams without real asynchronous reads, on a thread of its own).</param>
    internal static async Task PumpAsync(StreamReader reader, StringBuilder all, Action<string>? onLine, bool blocking = false)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        var lastWasCr = false;
        int read;
        while ((read = blocking ? reader.Read(buffer) : await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            all.Append(buffer, 0, read);
            if (onLine is null)
            {
                continue;
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '\n' && lastWasCr)
                {
                    lastWasCr = false;
                    continue;
                }

                lastWasCr = c == '\r';
                if (c is '\n' or '\r')
                {
                    onLine(line.ToString());
                    line.Clear();
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        if (onLine is not null && line.Length > 0)
        {
            onLine(line.ToString());
        }
    }
}
