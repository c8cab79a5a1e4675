using System.Globalization;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>
/// Waiting for block jobs. virsh's own <c>--wait</c> looks at the job every 500 ms, which put half
/// a second on every merge however small; here the job is started without it and libvirt's view
/// of it (<c>blockjob --raw</c>) is polled from 20 ms, backing off to 250 ms. libvirt drops a failed
/// job just like a finished one, so the outcome is read from the disk's chain afterwards.
/// </summary>
public sealed partial class Virsh
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The wait before the next look at a job that emits nothing to follow: twice <paramref name="delay"/>
    /// (from <see cref="FirstPoll"/>), at most <paramref name="longest"/>. Block jobs and backup jobs both poll so.</summary>
    private static TimeSpan NextPoll(TimeSpan delay, TimeSpan longest) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, longest.Ticks));

    /// <summary>libvirt's view of the block job on a disk (<c>blockjob --raw</c>), or null when none runs.
    /// <see cref="BlockJob.Ready"/> is libvirt's signal that a two-phase job (active commit, copy) can pivot: cur == end.</summary>
    public async Task<BlockJob?> GetBlockJobAsync(string domain, string disk, CancellationToken cancellationToken = default)
    {
        var output = (await RunAsync(["blockjob", domain, disk, "--raw"], null, cancellationToken).ConfigureAwait(false)).StandardOutput;
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        if (!fields.TryGetValue("type", out var type)) return null;
        long Number(string key) => fields.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        var (cur, end) = (Number("cur"), Number("end"));
        var ready = end > 0 && cur == end;
        var kind = type.Contains("Pull", StringComparison.Ordinal) ? "stream"
            : type.Contains("Commit", StringComparison.Ordinal) ? "commit"
            : type.Contains("Copy", StringComparison.Ordinal) ? "mirror" : type;
        // bandwidth is in MiB/s unless --bytes is given.
        return new BlockJob(disk, kind, cur, end, ready ? "ready" : "running", ready, Number("bandwidth") * 1024 * 1024);
    }

    /// <summary>
    /// Starts a block job of <paramref name="kind"/> (<paramref name="start"/> holds no <c>--wait</c>), or
    /// adopts one of that kind already running on the disk, waits for its end (pivoting when
    /// <paramref name="pivot"/> and the job is ready), and checks the outcome with <paramref name="succeeded"/>
    /// on the disk as the live definition then describes it. Cancellation, the time limit or a failed
    /// host call aborts the job, which leaves the chain as it was.
    /// </summary>
    private async Task RunBlockJobAsync(
        string domain, string disk, string kind, List<string> start, bool pivot, Func<DomainDisk, bool> succeeded, string what,
        Action<BlockJob>? onProgress, TimeSpan progressInterval, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // A job of the same kind already on the disk is an earlier attempt's (the engine died while it
        // ran, or the attempt failed while waiting): wait for that one rather than fail to start another.
        if (await GetBlockJobAsync(domain, disk, cancellationToken).ConfigureAwait(false) is { } running)
        {
            if (running.Type != kind)
            {
                throw new InvalidOperationException($"{disk} in '{domain}' on '{Shell.Host}' is busy with a {running.Type} job; {what} cannot start.");
            }
        }
        else
        {
            await RunAsync(start, null, cancellationToken).ConfigureAwait(false);
        }

        var started = TimeProvider.GetTimestamp();
        var reported = started;
        var delay = FirstPoll;
        BlockJob? last = null;
        try
        {
            while (await GetBlockJobAsync(domain, disk, cancellationToken).ConfigureAwait(false) is { } job)
            {
                last = job;
                if (onProgress is not null && TimeProvider.GetElapsedTime(reported) >= progressInterval)
                {
                    onProgress(job);
                    reported = TimeProvider.GetTimestamp();
                }

                if (pivot && job.Ready && await TryPivotAsync(domain, disk, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                if (timeout is { } limit && TimeProvider.GetElapsedTime(started) > limit)
                {
                    await AbortQuietlyAsync(domain, disk).ConfigureAwait(false);
                    throw new TimeoutException($"{what} of {disk} in '{domain}' on '{Shell.Host}' ran over {limit}; the job was aborted.");
                }

                await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
                delay = NextPoll(delay, LongestPoll);
            }
        }
        catch (Exception)
        {
            // Cancelled, timed out, or the host call failed: the chain stays as it was, and a retry
            // starts from a disk without a job.
            await AbortQuietlyAsync(domain, disk).ConfigureAwait(false);
            throw;
        }

        var after = (await GetDefinitionAsync(domain, inactive: false, cancellationToken).ConfigureAwait(false)).Disk(disk);
        if (!succeeded(after))
        {
            throw new InvalidOperationException(
                $"{what} of {disk} in '{domain}' on '{Shell.Host}' ended without its result: the disk now runs on " +
                $"{string.Join(" <- ", [after.Source, .. after.BackingChain])}. The job failed; libvirt's log of the domain says why.");
        }

        if (last is not null)
        {
            onProgress?.Invoke(last with { Offset = Math.Max(1, last.Length), Length = Math.Max(1, last.Length), Status = "concluded", Ready = false });
        }
    }

    /// <summary>Pivots a ready two-phase job; false when QEMU is not ready yet although libvirt's
    /// cur == end said so (it can be, for a moment, at the end of the copy).</summary>
    private async Task<bool> TryPivotAsync(string domain, string disk, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(["blockjob", domain, disk, "--pivot"], null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HostCommandException e) when (e.Message.Contains("not ready for pivot", StringComparison.Ordinal))
        {
            return false;
        }
    }

    private async Task AbortQuietlyAsync(string domain, string disk)
    {
        try
        {
            await RunAsync(["blockjob", domain, disk, "--abort"], null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (HostCommandException)
        {
            // The job ended in the meantime.
        }
    }
}
