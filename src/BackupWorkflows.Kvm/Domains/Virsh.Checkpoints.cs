using System.Globalization;
using System.Text.Json;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>Checkpoints (dirty bitmaps libvirt keeps per disk) and push-mode backup jobs (<c>backup-begin</c>).</summary>
public sealed partial class Virsh
{
    private static readonly TimeSpan LongestJobPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Names of the domain's checkpoints (<c>checkpoint-list --name</c>).</summary>
    public async Task<IReadOnlyList<string>> ListCheckpointNamesAsync(string domain, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["checkpoint-list", domain, "--name"], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Whether libvirt knows the domain's checkpoint <paramref name="checkpoint"/>.</summary>
    public async Task<bool> HasCheckpointAsync(string domain, string checkpoint, CancellationToken cancellationToken = default) =>
        (await ListCheckpointNamesAsync(domain, cancellationToken).ConfigureAwait(false)).Contains(checkpoint);

    /// <summary>Deletes a checkpoint and its bitmaps (<c>checkpoint-delete</c>). When the images no longer hold the
    /// bitmaps (a disk replaced or restored) only libvirt's record of it is dropped (<c>--metadata</c>).</summary>
    public async Task DeleteCheckpointAsync(string domain, string checkpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(["checkpoint-delete", domain, checkpoint], null, cancellationToken).ConfigureAwait(false);
        }
        catch (HostCommandException)
        {
            if (!await HasCheckpointAsync(domain, checkpoint, cancellationToken).ConfigureAwait(false)) return;
            await RunAsync(["checkpoint-delete", domain, checkpoint, "--metadata"], null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a push-mode backup (<c>backup-begin</c>) and returns once its point in time is fixed: QEMU
    /// then copies in the background (see <see cref="WaitForBackupJobAsync"/>). The XML travels as temporary files.</summary>
    /// <param name="domain">A running domain.</param>
    /// <param name="spec">Disks, targets, checkpoints.</param>
    /// <param name="allDiskTargets">Every disk target of the domain (those not in the spec are left out explicitly).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async Task BeginBackupAsync(string domain, DomainBackupSpec spec, IReadOnlyList<string> allDiskTargets,
        CancellationToken cancellationToken = default)
    {
        var files = new HostFiles(Shell);
        var directory = await files.CreateTempDirectoryAsync("bwf-backup", cancellationToken).ConfigureAwait(false);
        try
        {
            List<string> args = ["backup-begin", domain, "--backupxml", $"{directory}/backup.xml"];
            await files.WriteTextAsync($"{directory}/backup.xml", spec.BackupXml(allDiskTargets), cancellationToken).ConfigureAwait(false);
            if (spec.CheckpointXml(allDiskTargets) is { } checkpoint)
            {
                await files.WriteTextAsync($"{directory}/checkpoint.xml", checkpoint, cancellationToken).ConfigureAwait(false);
                args.AddRange(["--checkpointxml", $"{directory}/checkpoint.xml"]);
            }

            await RunAsync(args, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await files.DeleteDirectoryAsync(directory, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The domain's current job, or with <paramref name="completed"/> the last one that ended
    /// (<c>domjobinfo --rawstats [--completed --anystats --keep-completed]</c>).</summary>
    public async Task<DomainJob> GetJobAsync(string domain, bool completed = false, CancellationToken cancellationToken = default)
    {
        List<string> args = ["domjobinfo", domain, "--rawstats"];
        if (completed) args.AddRange(["--completed", "--anystats", "--keep-completed"]);
        var output = (await RunAsync(args, null, cancellationToken).ConfigureAwait(false)).StandardOutput;
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
        long Number(string key) => fields.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var type = (int)Number("Job type") switch
        {
            1 => "bounded", 2 => "unbounded", 3 => "completed", 4 => "failed", 5 => "cancelled", _ => "none",
        };
        return new DomainJob(type, (int)Number("operation"), Number("disk_processed"), Number("disk_total"), fields.GetValueOrDefault("errmsg"));
    }

    /// <summary>Waits for the domain's backup job to end and checks that it completed; polls from 20 ms,
    /// backing off to 100 ms (a backup job emits no output to follow).</summary>
    /// <exception cref="InvalidOperationException">The job failed or was cancelled, or another job runs.</exception>
    public async Task WaitForBackupJobAsync(string domain, Action<DomainJob>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var delay = FirstPoll;
        DomainJob job;
        while ((job = await GetJobAsync(domain, cancellationToken: cancellationToken).ConfigureAwait(false)).Running)
        {
            if (job.Operation != DomainJob.BackupOperation)
                throw new InvalidOperationException($"'{domain}' on '{Shell.Host}' runs another job (operation {job.Operation}), not a backup.");
            onProgress?.Invoke(job);
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
            delay = NextPoll(delay, LongestJobPoll);
        }

        var ended = await GetJobAsync(domain, completed: true, cancellationToken).ConfigureAwait(false);
        if (ended.Type != "completed" || ended.Operation != DomainJob.BackupOperation)
            throw new InvalidOperationException(
                $"the backup job of '{domain}' on '{Shell.Host}' ended {ended.Type}{(ended.Error is null ? "" : ": " + ended.Error)}; libvirt's log of the domain says more.");
        onProgress?.Invoke(ended);
    }

    /// <summary>Aborts the domain's running job (<c>domjobabort</c>); nothing when none runs.</summary>
    public async Task AbortJobAsync(string domain, CancellationToken cancellationToken = default)
    {
        if ((await GetJobAsync(domain, cancellationToken: cancellationToken).ConfigureAwait(false)).Running)
            await RunAsync(["domjobabort", domain], new HostCommandOptions { SuccessExitCodes = [0, 1] }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every dirty bitmap of the running domain's image nodes (QMP <c>query-named-block-nodes</c>, flat).</summary>
    public async Task<IReadOnlyList<DirtyBitmap>> QueryDirtyBitmapsAsync(string domain, CancellationToken cancellationToken = default)
    {
        using var reply = await QemuMonitorCommandAsync(domain,
            """{"execute":"query-named-block-nodes","arguments":{"flat":true}}""", cancellationToken).ConfigureAwait(false);
        var bitmaps = new List<DirtyBitmap>();
        foreach (var node in reply.RootElement.GetProperty("return").EnumerateArray())
        {
            if (!node.TryGetProperty("dirty-bitmaps", out var list) || node.GetProperty("drv").GetString() == "file") continue;
            var file = node.GetProperty("file").GetString() ?? "";
            foreach (var b in list.EnumerateArray())
            {
                bitmaps.Add(new DirtyBitmap(file, b.GetProperty("name").GetString() ?? "", Flag(b, "recording"), Flag(b, "inconsistent"), Flag(b, "persistent")));
            }
        }

        return bitmaps;
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
