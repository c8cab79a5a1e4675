using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Commits the delta this backup copied into its base on primary, so the VM always runs on
/// base + one delta. For an isolated backup, the overlay it added is committed back instead,
/// leaving the running chain exactly as it was.
/// </summary>
/// <remarks>Idempotent: a delta no longer in the disk's chain is only deleted.</remarks>
[Activity("Backup.MergeDelta", Category = "Backup", DisplayName = "Merge delta",
    Description = "Commits the copied delta into its base on primary (blockcommit, or qemu-img commit when stopped).")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class MergeDelta(BackupContextLoader loader, BackupCatalog catalog, PrimaryChains chains) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        foreach (var v in work.Backup.Volumes)
        {
            if (work.Backup.Type == BackupType.Isolated)
            {
                await chains.CommitActiveIntoBackingAsync(work.Host, work.Backup.VmName, v.Target, v.PrimaryDeltaPath!, v.SnapshotSourcePath!, ct);
                v.PrimaryDeltaPath = null;
                context.Journal($"{v.Target}: isolated overlay committed back; the VM runs on {v.SnapshotSourcePath}");
            }
            else if (v.SnapshotSourcePath != v.PrimaryBasePath)
            {
                await chains.CommitIntoBaseAsync(work.Host, work.Backup.VmName, v.Target, v.SnapshotSourcePath!, v.PrimaryBasePath, ct);
                context.Journal($"{v.Target}: {v.SnapshotSourcePath} merged into {v.PrimaryBasePath}");
            }
        }
        await catalog.SaveAsync(ct);
        return ActivityResult.Done;
    }
}
