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
        var readOut = PumpAsync(process.StandardOutput, stdout, options.OnOutputLine);
        var readErr = PumpAsync(process.StandardError, stderr, options.OnErrorLine);

        using var timeout = killAfter is { } limit
            ? new CancellationTokenSource(limit, timeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
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
            timedOut = true;
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
