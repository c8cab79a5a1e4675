using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>Line-by-line consumption of a host command's standard output.</summary>
public static class HostShellStreaming
{
    /// <summary>
    /// Runs a command and yields its standard output line by line as it arrives (lines end at
    /// <c>\n</c> or <c>\r</c>). After the last line, a failure of the command is thrown as
    /// <see cref="HostCommandException"/>, so a consumer never mistakes a truncated stream for a whole one.
    /// </summary>
    public static async IAsyncEnumerable<string> StreamLinesAsync(
        this IHostShell shell,
        IReadOnlyList<string> arguments,
        HostCommandOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var caller = (options ?? HostCommandOptions.Default).OnOutputLine;
        var streamed = (options ?? HostCommandOptions.Default) with
        {
            OnOutputLine = line =>
            {
                caller?.Invoke(line);
                lines.Writer.TryWrite(line);
            },
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = RunAndCompleteAsync(shell, arguments, streamed, lines.Writer, stop.Token);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            // A consumer that stops early kills the command instead of leaving it running.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Stopped because the consumer left early.
            }
        }
    }

    private static async Task RunAndCompleteAsync(
        IHostShell shell, IReadOnlyList<string> arguments, HostCommandOptions options, ChannelWriter<string> writer, CancellationToken cancellationToken)
    {
        try
        {
            await shell.RunAsync(arguments, options, cancellationToken).ConfigureAwait(false);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            throw;
        }
    }
}
