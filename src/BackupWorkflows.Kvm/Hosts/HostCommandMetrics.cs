using System.Diagnostics.Metrics;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// The Kvm project's meter (<see cref="MeterName"/>): how long host commands take and how they fail.
/// Static because shells are created without dependency injection (<see cref="HostShellFactory"/>);
/// it holds counters and histograms only, so nothing in it outlives or confuses a host.
/// </summary>
public static class HostCommandMetrics
{
    /// <summary>Name of the meter a metrics exporter subscribes to.</summary>
    public const string MeterName = "BackupWorkflows.Kvm";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "bwf.host.command.duration", "s", "Duration of host commands (virsh, qemu-img, cp, …), by host, command and outcome.",
        tags: null, advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
        });

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "bwf.host.command.failures", "{command}", "Host commands that failed, by host, command and failure.");

    /// <summary>Records one command: <paramref name="failure"/> null when it succeeded; <paramref name="cancelled"/> when it was cancelled.</summary>
    internal static void Record(string host, IReadOnlyList<string> arguments, TimeSpan duration, HostCommandFailure? failure, bool cancelled = false)
    {
        var command = arguments.Count > 0 ? Path.GetFileName(arguments[0]) : "";
        var outcome = cancelled ? "cancelled" : failure is { } f ? Name(f) : "ok";
        Duration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("host", host), new("command", command), new("outcome", outcome));
        if (failure is not null)
            Failures.Add(1, new KeyValuePair<string, object?>("host", host), new("command", command), new("failure", outcome));
    }

    private static string Name(HostCommandFailure failure) => failure switch
    {
        HostCommandFailure.NonZeroExit => "non_zero_exit",
        HostCommandFailure.TimedOut => "timed_out",
        HostCommandFailure.Unreachable => "unreachable",
        _ => "start_failed",
    };
}

/// <summary>A host shell whose every command is timed and counted (<see cref="HostCommandMetrics"/>).</summary>
internal sealed class MeteredHostShell(IHostShell inner, TimeProvider time) : IHostShell
{
    /// <summary>The shell that runs the commands.</summary>
    public IHostShell Inner => inner;

    /// <inheritdoc />
    public string Host => inner.Host;

    /// <inheritdoc />
    public async Task<HostCommandResult> RunAsync(
        IReadOnlyList<string> arguments, HostCommandOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        try
        {
            var result = await inner.RunAsync(arguments, options, cancellationToken).ConfigureAwait(false);
            HostCommandMetrics.Record(Host, arguments, time.GetElapsedTime(started), null);
            return result;
        }
        catch (HostCommandException e)
        {
            HostCommandMetrics.Record(Host, arguments, time.GetElapsedTime(started), e.Failure);
            throw;
        }
        catch (OperationCanceledException)
        {
            HostCommandMetrics.Record(Host, arguments, time.GetElapsedTime(started), null, cancelled: true);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
