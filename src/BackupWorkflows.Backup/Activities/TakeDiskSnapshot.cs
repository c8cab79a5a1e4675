using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Puts a new qcow2 overlay on top of every included disk, atomically: the image the VM wrote to
/// becomes read-only and holds exactly the writes since the previous backup.
/// Running VMs: <c>virsh snapshot-create-as --disk-only --atomic --no-metadata [--quiesce]</c>;
/// stopped VMs: <c>qemu-img create -b</c> and a redefinition pointing the disks at the overlays.
/// A running VM under the bitmap strategy gets no overlay: its backup job begins here (<see cref="Bitmaps.BackupJobs"/>).
/// </summary>
/// <remarks>Idempotent: when the VM already writes to the planned overlays (a resumed attempt),
/// nothing is done again.</remarks>
[Activity("Backup.TakeDiskSnapshot", Category = "Backup", DisplayName = "Take disk snapshot",
    Description = "Atomic external disk-only snapshot of every included disk.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class TakeDiskSnapshot(BackupContextLoader loader, BackupCatalog catalog, Bitmaps.BackupJobs backupJobs) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "quiesce, crash-consistent or offline (the Quiesce step's mode).", Default = "crash-consistent")]
    public string Mode { get; set; } = "crash-consistent";

    [Output(Description = "True when the file systems were frozen for the snapshot.")]
    public bool Quiesced { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var vm = work.Backup.VmName;
        if (work.Backup.UsesBackupJob)
        {
            // Bitmap strategy: the backup job's start is the point in time; QEMU copies in the background.
            Quiesced = await backupJobs.BeginAsync(context, work, Mode, ct);
            work.Backup.Quiesced = Quiesced;
            await catalog.SaveAsync(ct);
            return ActivityResult.Done;
        }
        var sources = await work.CurrentSourcesAsync(ct);
        if (work.Backup.Volumes.All(v => sources.GetValueOrDefault(v.Target) == v.PrimaryDeltaPath))
        {
            context.Journal("the VM already writes to this backup's overlays (resumed)");
            Quiesced = work.Backup.Quiesced;
            return ActivityResult.Done;
        }
        foreach (var v in work.Backup.Volumes)
            if (sources.GetValueOrDefault(v.Target) != v.SnapshotSourcePath)
                throw new BackupInputException(
                    $"disk {v.Target} of VM '{vm}' changed since the backup was prepared (now {sources.GetValueOrDefault(v.Target)})");

        var overlays = work.Backup.Volumes
            .Select(v => new NewOverlay(v.Target, v.PrimaryDeltaPath!, v.SnapshotSourcePath!, v.SourceFormat)).ToList();
        Quiesced = await PrimaryChains.AddOverlaysAsync(work.Host, vm, overlays, Mode == "quiesce", work.Offering.Quiesce, context.Journal, ct);
        context.Journal($"snapshot taken ({(Quiesced ? "quiesced" : Mode == "offline" ? "offline" : "crash-consistent")})");
        work.Backup.Quiesced = Quiesced;
        await catalog.SaveAsync(ct);
        return ActivityResult.Done;
    }
}
