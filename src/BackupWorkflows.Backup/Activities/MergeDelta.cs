using BackupWorkflows.Backup.Bitmaps;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Commits the delta this backup copied into its base on primary, so the VM always runs on
/// base + one delta. For an isolated backup, the overlay it added is committed back instead,
/// leaving the running chain exactly as it was.
/// </summary>
/// <remarks>A bitmap backup taken by a backup job has nothing on primary to merge; every backup then
/// retires the checkpoints of ours other than its own (<see cref="BitmapTracking.RetireAsync"/>).
/// Idempotent: a delta no longer in the disk's chain is only deleted.</remarks>
[Activity("Backup.MergeDelta", Category = "Backup", DisplayName = "Merge delta",
    Description = "Commits the copied delta into its base on primary (blockcommit, or qemu-img commit when stopped).")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class MergeDelta(BackupContextLoader loader, BackupCatalog catalog, PrimaryChains chains, SnapshotFiles snapshots) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        foreach (var v in work.Backup.UsesBackupJob ? [] : work.Backup.Volumes)
        {
            if (work.Backup.Type == BackupType.Isolated)
            {
                await chains.CommitActiveIntoBackingAsync(work.Host, work.Backup.VmName, v.Target, v.PrimaryDeltaPath!, v.SnapshotSourcePath!, ct);
                v.PrimaryDeltaPath = null;
                context.Journal($"{v.Target}: isolated overlay committed back; the VM runs on {v.SnapshotSourcePath}");
            }
            else if (await PreviousDeltaAsync(work, v, ct) is { } previous)
            {
                // The previous backup's delta, under any VM snapshot overlays taken since: merged into
                // its own backing file, so the snapshots keep their images and overlays.
                var into = await snapshots.MergeDeltaAsync(work.Host, work.Backup.VmName, v.Target, previous, ct);
                context.Journal(into is null ? $"{v.Target}: {previous} was merged already" : $"{v.Target}: {previous} merged into {into}");
            }
            if (work.Backup.Type != BackupType.Isolated && work.Backup.Strategy == BackupStrategy.Bitmap && v.PrimaryDeltaPath is not null)
            {
                // A stopped VM's bitmap backup took an overlay like a delta full; the strategy keeps none.
                await chains.CommitActiveIntoBackingAsync(work.Host, work.Backup.VmName, v.Target, v.PrimaryDeltaPath, v.PrimaryBasePath, ct);
                v.PrimaryDeltaPath = null;
                context.Journal($"{v.Target}: overlay committed back (bitmap strategy keeps no delta); the VM runs on {v.PrimaryBasePath}");
            }
        }
        // Only the checkpoint this backup created may stay: the parent's, or any a strategy switch or ended
        // chain left, would keep a bitmap recording every write. Isolated backups leave the chain alone.
        if (work.Backup.Type != BackupType.Isolated && await work.Host.Virsh.ExistsAsync(work.Backup.VmName, ct))
        {
            var retired = await BitmapTracking.RetireAsync(work.Host, work.Backup.VmName, work.Backup.Checkpoint, ct);
            if (retired.Count > 0) context.Journal($"checkpoints retired: {string.Join(", ", retired)}");
        }
        await catalog.SaveAsync(ct);
        return ActivityResult.Done;
    }

    /// <summary>The backup delta the snapshot froze (the topmost one in the frozen image's chain), or null
    /// when there is none (a full with no delta before it, or merged already by an earlier attempt).</summary>
    private static async Task<string?> PreviousDeltaAsync(BackupContext work, BackupVolume v, CancellationToken ct)
    {
        if (v.SnapshotSourcePath is null || v.SnapshotSourcePath == v.PrimaryBasePath) return null;
        if (!await work.Host.Files.ExistsAsync(v.SnapshotSourcePath, ct)) return null;
        var chain = await work.Host.QemuImg.BackingChainAsync(v.SnapshotSourcePath, forceShare: true, cancellationToken: ct);
        return chain.Take(chain.Count - 1).Select(i => i.Filename).FirstOrDefault(RepositoryLayout.IsPrimaryDelta);
    }
}
