using System.Globalization;
using System.Text.Json;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>Disk calls: disk-only snapshots, block jobs (commit, pull), attach and detach.</summary>
public sealed partial class Virsh
{
    /// <summary>
    /// Takes an external disk-only snapshot of a running domain, atomically over all included
    /// disks and without libvirt snapshot metadata
    /// (<c>snapshot-create-as --disk-only --atomic --no-metadata [--quiesce] --diskspec …</c>).
    /// Each included disk's current image becomes read-only and the new overlay becomes active.
    /// </summary>
    /// <param name="domain">Domain name or UUID.</param>
    /// <param name="disks">One entry per disk: an overlay file, or excluded. Disks not listed get libvirt's default for the domain.</param>
    /// <param name="quiesce">Freeze the guest's file systems through the agent around the snapshot (fails if the agent does not answer).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public Task CreateDiskSnapshotAsync(
        string domain, IEnumerable<DiskSnapshotSpec> disks, bool quiesce = false, CancellationToken cancellationToken = default)
    {
        List<string> args = ["snapshot-create-as", domain, "--disk-only", "--atomic", "--no-metadata"];
        if (quiesce)
        {
            args.Add("--quiesce");
        }

        foreach (var disk in disks)
        {
            args.AddRange(["--diskspec", disk.ToDiskSpec()]);
        }

        return RunAsync(args, null, cancellationToken);
    }

    /// <summary>
    /// Commits a disk's data down its backing chain while the domain runs, and waits for the end.
    /// Without <see cref="BlockCommitOptions.Top"/> this is an active commit that pivots: afterwards the
    /// domain writes to the base again (<c>blockcommit --active</c>, then <c>blockjob --pivot</c>). With a
    /// top, an inner image is committed into its base and removed from the chain (<c>--top --base</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The job ended but the chain shows it failed.</exception>
    /// <exception cref="TimeoutException">It ran over <see cref="BlockCommitOptions.Timeout"/> and was aborted.</exception>
    public async Task BlockCommitAsync(string domain, string disk, BlockCommitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new BlockCommitOptions();
        // Only an active commit without a base needs the source it started from to judge the outcome.
        var before = o.Top is null && o.Base is null
            ? (await GetDefinitionAsync(domain, inactive: false, cancellationToken).ConfigureAwait(false)).Disk(disk).Source
            : null;
        List<string> args = ["blockcommit", domain, disk];
        args.AddRange(o.Top is null ? ["--active"] : ["--top", o.Top]);
        if (o.Base is not null)
        {
            args.AddRange(["--base", o.Base]);
        }

        AddBandwidth(args, o.BandwidthBytesPerSecond);
        Func<DomainDisk, bool> succeeded = o.Top is { } top
            ? after => after.Source != top && !after.BackingChain.Contains(top)
            : after => o.Base is null ? after.Source != before : after.Source == o.Base;
        await RunBlockJobAsync(domain, disk, "commit", args, pivot: o.Top is null, succeeded, "block commit",
            o.OnProgress, o.ProgressInterval, o.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pulls data from backing files into a disk's active image (<c>blockpull</c>) and waits
    /// for the end, down to <paramref name="baseImage"/> (kept) or the whole chain, so the backing files can go.</summary>
    /// <exception cref="InvalidOperationException">The job ended but the chain shows it failed.</exception>
    public Task BlockPullAsync(
        string domain, string disk, string? baseImage = null, Action<BlockJob>? onProgress = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        List<string> args = ["blockpull", domain, disk];
        if (baseImage is not null)
        {
            args.AddRange(["--base", baseImage]);
        }

        Func<DomainDisk, bool> succeeded = after => baseImage is null ? after.BackingChain.Count == 0 : after.BackingChain.FirstOrDefault() == baseImage;
        return RunBlockJobAsync(domain, disk, "stream", args, pivot: false, succeeded, "block pull",
            onProgress, TimeSpan.FromMilliseconds(500), timeout, cancellationToken);
    }

    /// <summary>Block jobs running in a domain, from QMP <c>query-block-jobs</c>.</summary>
    public async Task<IReadOnlyList<BlockJob>> GetBlockJobsAsync(string domain, CancellationToken cancellationToken = default)
    {
        using var reply = await QemuMonitorCommandAsync(domain, """{"execute":"query-block-jobs"}""", cancellationToken).ConfigureAwait(false);
        return reply.RootElement.GetProperty("return").EnumerateArray().Select(BlockJob.FromJson).ToList();
    }

    /// <summary>Attaches an image as a disk (<c>attach-disk</c>).</summary>
    public Task AttachDiskAsync(
        string domain, string source, string target, AttachDiskOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new AttachDiskOptions();
        List<string> args = ["attach-disk", domain, source, target, "--driver", "qemu", "--subdriver", o.Format, "--sourcetype", "file"];
        if (o.Bus is not null)
        {
            args.AddRange(["--targetbus", o.Bus]);
        }

        if (o.ReadOnly)
        {
            args.AddRange(["--mode", "readonly"]);
        }

        args.AddRange(Scope(o.Live, o.Persistent));
        return RunAsync(args, null, cancellationToken);
    }

    /// <summary>Detaches a disk by target (<c>detach-disk</c>).</summary>
    public Task DetachDiskAsync(string domain, string target, bool live = true, bool persistent = false, CancellationToken cancellationToken = default) =>
        RunAsync(["detach-disk", domain, target, .. Scope(live, persistent)], null, cancellationToken);

    private static string[] Scope(bool live, bool persistent) => (live, persistent) switch
    {
        (true, true) => ["--live", "--config"],
        (true, false) => ["--live"],
        (false, true) => ["--config"],
        _ => throw new ArgumentException("A disk change must affect the live domain, its definition, or both."),
    };

    private static void AddBandwidth(List<string> args, long? bytesPerSecond)
    {
        if (bytesPerSecond is > 0 and var bps)
        {
            args.AddRange(["--bandwidth", bps.ToString(CultureInfo.InvariantCulture), "--bytes"]);
        }
    }
}
