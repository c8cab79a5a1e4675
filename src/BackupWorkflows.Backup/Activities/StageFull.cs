using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Staging;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Copies the flattened image of every volume (its whole backing chain) into the host's staging
/// directory, after reserving the space; a clear error when staging cannot hold it.
/// </summary>
[Activity("Backup.StageFull", Category = "Backup", DisplayName = "Stage full",
    Description = "Flattened copy of each volume into the host's staging directory, space reserved first.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 5, NonRetryable = [typeof(StagingFullException), typeof(Catalog.BackupInputException)])]
public sealed class StageFull(BackupContextLoader loader, StagingReservations reservations) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Bytes written to staging.")]
    public long StagedBytes { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        if (work.Backup.UsesBackupJob)
        {
            context.Journal("the backup job writes straight into the repository: nothing to stage");
            return ActivityResult.Done;
        }
        var files = work.Host.Files;
        var stagingDir = work.HostRecord.StagingDir;
        await files.CreateDirectoryAsync(stagingDir, ct);

        // Reserve the allocated size of each chain: an upper bound of the flattened copy.
        long needed = 0;
        foreach (var v in work.Backup.Volumes)
        {
            var chain = await work.Host.QemuImg.BackingChainAsync(v.SnapshotSourcePath!, forceShare: true, cancellationToken: ct);
            needed += Math.Min(v.VirtualSize + (16L << 20), chain.Sum(i => i.ActualSize ?? i.VirtualSize));
        }
        var others = await reservations.ReservedByOthersAsync(work.HostRecord.Name, work.Backup.Id, ct);
        var free = await files.FreeSpaceAsync(stagingDir, ct);
        if (work.HostRecord.StagingCapacityBytes > 0) free = Math.Min(free, work.HostRecord.StagingCapacityBytes);
        StagingBudget.EnsureFits(work.HostRecord.Name, stagingDir, needed, free, others, alreadyWrittenBytes: 0);
        await reservations.HoldAsync(work.HostRecord.Name, work.Backup.Id, needed, ct);

        var total = work.Backup.Volumes.Sum(v => v.VirtualSize);
        long before = 0;
        foreach (var v in work.Backup.Volumes)
        {
            var staged = RepositoryLayout.StagedImage(stagingDir, work.Backup.Id, v.Target);
            if (!await files.ExistsAsync(staged, ct))
            {
                var partial = staged + RepositoryLayout.PartialSuffix;
                var start = before;
                await work.Host.QemuImg.ConvertAsync(v.SnapshotSourcePath!, partial, new ConvertOptions
                {
                    SourceFormat = v.SourceFormat, TargetFormat = "qcow2", ForceShare = true,
                    OnProgress = p => context.ReportProgress(start + (long)(v.VirtualSize * p / 100), total, $"staging {v.Target}"),
                }, ct);
                await files.RenameAsync(partial, staged, ct);
            }
            before += v.VirtualSize;
            StagedBytes += await files.SizeAsync(staged, ct);
            context.ReportProgress(before, total, $"staged {v.Target}");
        }
        return ActivityResult.Done;
    }
}
