using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Staging;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Runtime;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Cleans up after a failed attempt: undoes this attempt's snapshot (the VM goes back to the
/// chain it had), deletes partial files in staging and the repository, releases staging space
/// and marks the backup Error. The VM is left running on a consistent chain.
/// </summary>
[Activity("Backup.AbortBackup", Category = "Backup", DisplayName = "Abort backup",
    Description = "Undoes a failed backup attempt and marks it Error.")]
[Retry(MaxAttempts = 6, BaseDelaySeconds = 3, MaxDelaySeconds = 60)] // cleanup must outlast a host that is briefly unreachable
public sealed class AbortBackup(BackupContextLoader loader, BackupCatalog catalog, PrimaryChains chains,
    StagingReservations reservations, IWorkflowInstanceQueries instances) : Activity
{
    [Input(Description = "Id of the backup that failed.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Why it failed, for the record; default: the instance's latest incident.")]
    public string? Reason { get; set; }

    [Output(Description = "The cause recorded on the backup.")]
    public string Cause { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var backup = work.Backup;
        if (backup.State != Model.BackupState.Creating)
        {
            context.Journal($"backup is {backup.State}: nothing to abort");
            Cause = backup.Error ?? "";
            return ActivityResult.Done;
        }
        if (backup.UsesBackupJob) await Bitmaps.BackupJobs.AbortAsync(context, work, ct);
        foreach (var v in backup.Volumes)
        {
            // The snapshot is undone only while its source is still below it: after a merge the
            // chain is base + this overlay, which is already consistent.
            var active = await PrimaryChains.ActiveSourceAsync(work.Host, backup.VmName, v.Target, ct);
            if (active == v.PrimaryDeltaPath && await work.Host.Files.ExistsAsync(v.SnapshotSourcePath!, ct))
            {
                await chains.CommitActiveIntoBackingAsync(work.Host, backup.VmName, v.Target, v.PrimaryDeltaPath!, v.SnapshotSourcePath!, ct);
                context.Journal($"{v.Target}: snapshot undone, the VM runs on {v.SnapshotSourcePath} again");
            }
            var staged = RepositoryLayout.StagedImage(work.HostRecord.StagingDir, backup.Id, v.Target);
            await work.Host.Files.DeleteFileAsync(staged, ct);
            await work.Host.Files.DeleteFileAsync(staged + RepositoryLayout.PartialSuffix, ct);
        }
        await work.Host.Files.DeleteDirectoryAsync(RepositoryLayout.BackupDir(work.Repository.Path, backup.VmName, backup.Id), ct);
        await reservations.ReleaseAsync(backup.Id, ct);
        var reason = string.IsNullOrWhiteSpace(Reason)
            ? (await instances.GetIncidentsAsync(context.InstanceId, ct)).LastOrDefault()?.Message ?? "the backup failed"
            : Reason;
        Cause = reason;
        await catalog.MarkErrorAsync(backup.Id, reason, ct);
        context.Journal("backup marked Error; partial files deleted");
        return ActivityResult.Done;
    }
}
