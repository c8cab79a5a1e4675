using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Deletes a backup without breaking its chain: a backup that children depend on is only marked
/// Removed (its files stay until the last child goes); deleting the newest backup of the live
/// chain also merges its delta on primary, so the VM runs on its plain base and the next backup is full.
/// </summary>
[Activity("Backup.DeleteBackup", Category = "Backup", DisplayName = "Delete backup",
    Description = "Chain-safe delete: Removed while children need it, files deleted otherwise; the newest merges its delta.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class DeleteBackup(BackupCatalog catalog, HostRegistry hostRegistry, RepositoryRegistry repositories,
    VmAssignments assignments, HostConnections hosts, Snapshots.SnapshotFiles snapshots) : Activity
{
    [Input(Description = "Backup to delete.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Backups marked Removed.")]
    public List<string> Removed { get; set; } = [];

    [Output(Description = "Backups whose files were deleted.")]
    public List<string> Expunged { get; set; } = [];

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var id = BackupIds.Parse(BackupId);
        var target = await catalog.GetAsync(id, ct);
        await context.AcquireLockAsync($"vm:{target.HostName}/{target.VmName}");
        var all = await catalog.ListForVmAsync(target.HostName, target.VmName, ct);
        DeletePlan plan;
        try { plan = DeletePlanner.Plan(all.First(b => b.Id == id), all); }
        catch (InvalidOperationException e) { throw new BackupInputException(e.Message); }

        var hostRecord = await hostRegistry.HostAsync(target.HostName, ct);
        var host = hosts.SessionFor(hostRecord);
        if (plan.MergeDeltaOnPrimary && await host.Virsh.ExistsAsync(target.VmName, ct))
        {
            foreach (var v in target.Volumes.Where(v => v.PrimaryDeltaPath is not null))
            {
                // Under VM snapshot overlays the delta is merged where it lies; the snapshots keep theirs.
                var into = await snapshots.MergeDeltaAsync(host, target.VmName, v.Target, v.PrimaryDeltaPath!, ct);
                context.Journal(into is null ? $"{v.Target}: delta {v.PrimaryDeltaPath} was no longer in use"
                    : $"{v.Target}: delta {v.PrimaryDeltaPath} merged into {into}");
            }
            if (await assignments.FindAssignmentAsync(target.HostName, target.VmName, ct) is { } assignment)
                assignment.ChainEndedReason = $"the newest backup {id} was deleted";
        }
        foreach (var removedId in plan.MarkRemoved)
        {
            all.First(b => b.Id == removedId).State = BackupState.Removed;
            Removed.Add(removedId.ToString());
        }
        foreach (var goneId in plan.Expunge)
        {
            var gone = all.First(b => b.Id == goneId);
            var repo = await repositories.RepositoryAsync(gone.RepositoryName, ct);
            await host.Files.DeleteDirectoryAsync(RepositoryLayout.BackupDir(repo.Path, gone.VmName, gone.Id), ct);
            gone.State = BackupState.Expunged;
            Expunged.Add(goneId.ToString());
        }
        await catalog.SaveAsync(ct);
        context.Journal($"removed: {string.Join(", ", Removed)}; files deleted: {string.Join(", ", Expunged)}");
        return ActivityResult.Done;
    }
}
