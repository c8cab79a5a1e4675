using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>
/// Deletes a VM snapshot without losing a write: its image is merged with the one image still built
/// on it (the newest snapshot: into the current volume), or, while other snapshots' images or the
/// running disk branch off it, it is marked Removed and its data kept until nothing needs it.
/// </summary>
/// <remarks>Idempotent: a resumed or repeated delete continues the tidying.</remarks>
[Activity("Snapshot.DeleteSnapshot", Category = "Snapshot", DisplayName = "Delete VM snapshot",
    Description = "Merges the snapshot's image away, or marks it Removed while other images need it.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class DeleteSnapshot(SnapshotCatalog catalog, SnapshotFiles files, HostRegistry hostRegistry, HostConnections hosts) : Activity
{
    [Input(Description = "Snapshot to delete.", Required = true)]
    public string SnapshotId { get; set; } = "";

    [Output(Description = "Removed (data kept, still needed) or Deleted.")]
    public string State { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var snapshot = await SnapshotIds.LoadAsync(catalog, SnapshotId, ct);
        await context.AcquireLockAsync($"vm:{snapshot.HostName}/{snapshot.VmName}");
        if (snapshot.State == SnapshotState.Creating)
            throw new BackupInputException($"snapshot '{snapshot.Name}' is still being taken");
        if (snapshot.State == SnapshotState.Error) snapshot.State = SnapshotState.Deleted; // nothing of it is on the disks
        if (snapshot.State == SnapshotState.Stale) snapshot.State = SnapshotState.Deleted; // its files went with the restore's tidying
        if (snapshot.State == SnapshotState.Ready)
        {
            snapshot.State = SnapshotState.Removed;
            await catalog.SaveAsync(ct);
        }
        var host = hosts.SessionFor(await hostRegistry.HostAsync(snapshot.HostName, ct));
        if (!await host.Virsh.ExistsAsync(snapshot.VmName, ct)) snapshot.State = SnapshotState.Deleted;
        else
            foreach (var d in snapshot.Disks)
                await files.TidyAsync(host, snapshot.VmName, d.Target, [], context.Journal, ct);
        await catalog.SaveAsync(ct);
        State = snapshot.State.ToString();
        context.Journal(snapshot.State == SnapshotState.Removed
            ? $"snapshot '{snapshot.Name}' marked Removed: other images still branch off its image, which is kept until nothing needs it"
            : $"snapshot '{snapshot.Name}' deleted");
        return ActivityResult.Done;
    }
}
