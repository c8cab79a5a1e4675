using BackupWorkflows.Backup.Assignments;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.Xml.Linq;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Restores;

/// <summary>
/// Restores a whole VM in place: rebuilds each volume from its backup chain beside the volume's
/// base path while the VM stops, then renames the copies over the bases, drops the deltas, points
/// the domain at the restored images and starts it
/// again if it was running. The restore ends the VM's chain: its next backup is full.
/// </summary>
/// <remarks>Each image is written under a temporary name and renamed, so an interrupted restore
/// leaves either the old or the new image, never half of one; a resumed attempt simply redoes it.</remarks>
[Activity("Backup.RestoreVm", Category = "Restore", DisplayName = "Restore VM",
    Description = "Stops the VM, rebuilds every volume from the backup chain, fixes the domain's paths and starts it again.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class RestoreVm(RestoreSourceLoader loader, VmAssignments assignments, Metrics.BackupMetrics metrics,
    Snapshots.SnapshotFiles snapshotFiles) : Activity
{
    [Input(Description = "Backup to restore.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Start the VM afterwards: auto (if it was running), true or false.", Default = "auto")]
    public string Start { get; set; } = "auto";

    [Input(Description = "Whether the VM ran when the restore was planned (PlanRestore's vmRunning): a resumed attempt finds it already stopped and still starts it afterwards.")]
    public bool WasRunning { get; set; }

    [Output(Description = "Whether the VM was started after the restore.")]
    public bool Started { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var source = await loader.LoadAsync(BackupId, null, ct);
        var (backup, host) = (source.Backup, source.Host);
        var vm = backup.VmName;
        await context.AcquireLockAsync($"vm:{backup.HostName}/{vm}");

        var exists = await host.Virsh.ExistsAsync(vm, ct);
        var active = exists && await PrimaryChains.IsActiveAsync(host, vm, ct);
        var wasRunning = active || exists && WasRunning;
        var xml = XDocument.Parse(exists ? await host.Virsh.DumpXmlAsync(vm, inactive: true, ct)
            : backup.DomainXml ?? throw new BackupInputException($"VM '{vm}' no longer exists and backup {backup.Id} holds no domain XML"));

        // The copies are written beside the base images while the VM stops (both take seconds);
        // nothing the VM runs on changes until every copy is on disk.
        var watch = Stopwatch.StartNew();
        long stoppedAt = 0, copiedAt = 0;
        var stopping = active ? StopAsync() : Task.CompletedTask;
        async Task StopAsync()
        {
            await host.Virsh.DestroyAsync(vm, ct);
            stoppedAt = watch.ElapsedMilliseconds;
        }
        var total = backup.Volumes.Sum(v => v.VirtualSize);
        var copies = new Dictionary<string, string>();
        try
        {
            long written = 0;
            foreach (var v in backup.Volumes)
            {
                copies[v.Target] = await ChainFlattening.WritePartialAsync(host, context, v.ImagePath, v.PrimaryBasePath,
                    v.VirtualSize, written, total, $"restoring {v.Target}");
                written += v.VirtualSize;
            }
            copiedAt = watch.ElapsedMilliseconds;
            await stopping;
        }
        catch (Exception e)
        {
            foreach (var v in backup.Volumes)
            {
                try { await host.Files.DeleteFileAsync(v.PrimaryBasePath + RepositoryLayout.PartialSuffix, CancellationToken.None); }
                catch (HostCommandException) { /* the cause below matters more than a leftover copy */ }
            }
            if (wasRunning) await RestartUnchangedAsync(host, context, vm, stopping, e);
            throw;
        }
        context.Journal(active ? $"VM stopped after {stoppedAt} ms; copies on disk after {copiedAt} ms" : $"copies on disk after {copiedAt} ms");

        // The chains the disks ran on: what VM snapshots left on them is tidied once the disks are restored.
        var before = backup.Volumes.ToDictionary(v => v.Target, v => DomainXmlEditor.DiskSource(xml, v.Target));
        foreach (var v in backup.Volumes)
        {
            await host.Files.RenameAsync(copies[v.Target], v.PrimaryBasePath, ct);
            await DropDeltasAsync(host, xml, v.Target, v.PrimaryBasePath, ct);
            DomainXmlEditor.SetDiskSource(xml, v.Target, v.PrimaryBasePath, "qcow2");
            context.Journal($"{v.Target} restored into {v.PrimaryBasePath}");
        }
        await host.Virsh.DefineAsync(xml.ToString(), ct);
        await snapshotFiles.MarkStaleAsync(host, vm, before,
            $"disk {string.Join(", ", before.Keys)} was restored from backup {backup.Id} after it was taken", context.Journal, ct);

        if (await assignments.FindAssignmentAsync(backup.HostName, vm, ct) is { } assignment)
        {
            assignment.ChainEndedReason = $"restored from backup {backup.Id}";
            await assignments.SaveAsync(ct);
        }
        Started = Start switch { "true" => true, "false" => false, _ => wasRunning || !exists && backup.VmWasRunning };
        if (Started)
        {
            await host.Virsh.StartAsync(vm, ct);
            context.Journal($"VM started after {watch.ElapsedMilliseconds} ms");
        }
        metrics.RestoreEnded("vm", total, watch.Elapsed);
        return ActivityResult.Done;
    }

    /// <summary>A copy failed: the VM's disks are as they were, so it runs again on them.</summary>
    private static async Task RestartUnchangedAsync(HostSession host, ActivityContext context, string vm, Task stopping, Exception cause)
    {
        try { await stopping; }
        catch (Exception) when (!stopping.IsCompletedSuccessfully) { /* it may not have stopped at all */ }
        if (await PrimaryChains.IsActiveAsync(host, vm, CancellationToken.None)) return;
        try
        {
            await host.Virsh.StartAsync(vm, CancellationToken.None);
            context.Journal($"restore failed ({cause.Message}); the VM runs again on its unchanged disks");
        }
        catch (HostCommandException e)
        {
            // The restore's own error is what the operator needs first; this one goes to the journal.
            context.Journal($"restore failed ({cause.Message}); starting the VM again on its unchanged disks failed too: {e.Message}");
        }
    }

    /// <summary>Deletes the backup overlays the disk used on top of its base.</summary>
    private static async Task DropDeltasAsync(HostSession host, XDocument xml, string target, string basePath, CancellationToken ct)
    {
        var current = DomainXmlEditor.DiskSource(xml, target);
        if (current is null || current == basePath || !RepositoryLayout.IsPrimaryDelta(current)) return;
        if (!await host.Files.ExistsAsync(current, ct)) return;
        var chain = await host.QemuImg.BackingChainAsync(current, forceShare: true, cancellationToken: ct);
        foreach (var image in chain.TakeWhile(i => i.Filename != basePath && RepositoryLayout.IsPrimaryDelta(i.Filename)))
            await host.Files.DeleteFileAsync(image.Filename, ct);
    }
}
