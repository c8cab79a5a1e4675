using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.QuickRestore;

/// <summary>
/// Second half of a quick restore: pulls the backup's data into the overlays on primary
/// (<c>virsh blockpull</c> while the VM runs, <c>qemu-img rebase -b ""</c> when it is off), with
/// progress. Afterwards no volume depends on the repository; the disk's old image and deltas go.
/// </summary>
/// <remarks>Idempotent: a volume already standing alone is skipped; a pull still running after
/// a restart of the engine is waited for.</remarks>
[Activity("Backup.PullIntoPrimary", Category = "Restore", DisplayName = "Pull into primary",
    Description = "Block pull of the backup's data into the VM's new overlays; then they no longer depend on the repository.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 10, NonRetryable = [typeof(BackupInputException)])]
public sealed class PullIntoPrimary(BackupCatalog catalog, HostRegistry hostRegistry, HostConnections hosts, TimeProvider time) : Activity
{
    [Input(Description = "Backup being quick-restored.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Host the VM runs on (the start step's output).", Required = true)]
    public string Host { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var id = BackupIds.Parse(BackupId);
        var backup = await catalog.GetAsync(id, ct);
        var host = hosts.SessionFor(await hostRegistry.HostAsync(Host, ct));
        var vm = backup.VmName;
        var total = backup.Volumes.Sum(v => v.VirtualSize);
        long done = 0;
        foreach (var v in backup.Volumes)
        {
            var overlay = QuickRestorePaths.Overlay(v.PrimaryBasePath, backup.Id);
            var chain = await host.QemuImg.BackingChainAsync(overlay, forceShare: true, cancellationToken: ct);
            if (chain.Count > 1)
            {
                var start = done;
                void Report(double percent) => context.ReportProgress(start + (long)(v.VirtualSize * percent / 100), total, $"pulling {v.Target}");
                if (await PrimaryChains.IsActiveAsync(host, vm, ct))
                {
                    var running = (await host.Virsh.GetBlockJobsAsync(vm, ct)).FirstOrDefault(j => j.Type == "stream");
                    if (running is not null) await WaitForJobAsync(host, vm, Report, ct);
                    else await host.Virsh.BlockPullAsync(vm, v.Target, onProgress: j => Report(j.Percent), cancellationToken: ct);
                }
                else
                {
                    await host.Shell.RunAsync(["qemu-img", "rebase", "-p", "-f", "qcow2", "-b", "", overlay], null, ct);
                }
                chain = await host.QemuImg.BackingChainAsync(overlay, forceShare: true, cancellationToken: ct);
                if (chain.Count > 1)
                    throw new InvalidOperationException($"{v.Target} still depends on {chain[1].Filename} after the pull");
            }
            done += v.VirtualSize;
            context.ReportProgress(done, total, $"{v.Target} stands alone");
            await DropOldImagesAsync(context, host, v.PrimaryBasePath, overlay, ct);
        }
        context.Journal("every volume is in primary storage; nothing depends on the repository");
        return ActivityResult.Done;
    }

    private async Task WaitForJobAsync(HostSession host, string vm, Action<double> report, CancellationToken ct)
    {
        while ((await host.Virsh.GetBlockJobsAsync(vm, ct)).FirstOrDefault(j => j.Type == "stream") is { } job)
        {
            report(job.Percent);
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct);
        }
    }

    /// <summary>The disk's image before the restore, its backup deltas and the images of earlier
    /// quick restores from the same base (<c>base.qr-…</c>) are no longer used: a normal restore
    /// overwrites them too. After the pull the VM's disk is the overlay alone, so none is in its chain.</summary>
    private static async Task DropOldImagesAsync(ActivityContext context, HostSession host, string basePath, string overlay, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(basePath)!;
        var listing = await host.Shell.RunAsync(["find", dir, "-maxdepth", "1", "-type", "f"], null, ct);
        foreach (var file in listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (file == overlay) continue;
            var earlierQuickRestore = file.StartsWith(QuickRestorePaths.Prefix(basePath), StringComparison.Ordinal);
            if (file == basePath || earlierQuickRestore
                || (file.StartsWith(basePath + ".", StringComparison.Ordinal) && RepositoryLayout.IsPrimaryDelta(file)))
            {
                await host.Files.DeleteFileAsync(file, ct);
                context.Journal($"deleted the old image {file}");
            }
        }
    }
}
