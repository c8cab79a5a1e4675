using System.Xml.Linq;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Puts a new qcow2 overlay on top of every included disk, atomically: the image the VM wrote to
/// becomes read-only and holds exactly the writes since the previous backup.
/// Running VMs: <c>virsh snapshot-create-as --disk-only --atomic --no-metadata [--quiesce]</c>;
/// stopped VMs: <c>qemu-img create -b</c> and a redefinition pointing the disks at the overlays.
/// </summary>
/// <remarks>Idempotent: when the VM already writes to the planned overlays (a resumed attempt),
/// nothing is done again.</remarks>
[Activity("Backup.TakeDiskSnapshot", Category = "Backup", DisplayName = "Take disk snapshot",
    Description = "Atomic external disk-only snapshot of every included disk.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class TakeDiskSnapshot(BackupContextLoader loader, BackupCatalog catalog) : Activity
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

        if (await work.IsActiveAsync(ct)) await SnapshotRunningAsync(context, work, sources.Keys, ct);
        else await SnapshotStoppedAsync(work, ct);
        work.Backup.Quiesced = Quiesced;
        await catalog.SaveAsync(ct);
        return ActivityResult.Done;
    }

    private async Task SnapshotRunningAsync(ActivityContext context, BackupContext work, IEnumerable<string> allTargets, CancellationToken ct)
    {
        var def = await work.Host.Virsh.GetDefinitionAsync(work.Backup.VmName, inactive: false, ct);
        var included = work.Backup.Volumes.ToDictionary(v => v.Target);
        var specs = def.Disks.Where(d => d.Device == "disk" && allTargets.Contains(d.Target))
            .Select(d => included.TryGetValue(d.Target, out var v)
                ? DiskSnapshotSpec.External(d.Target, v.PrimaryDeltaPath!)
                : DiskSnapshotSpec.Excluded(d.Target))
            .ToList();
        Quiesced = Mode == "quiesce";
        try
        {
            await work.Host.Virsh.CreateDiskSnapshotAsync(work.Backup.VmName, specs, Quiesced, ct);
        }
        catch (HostCommandException e) when (Quiesced && work.Offering.Quiesce != Model.QuiescePolicy.Require)
        {
            context.Journal($"quiesced snapshot failed ({e.Message.Split('\n')[0]}): taking it crash-consistent");
            Quiesced = false;
            await work.Host.Virsh.CreateDiskSnapshotAsync(work.Backup.VmName, specs, false, ct);
        }
        context.Journal($"snapshot taken ({(Quiesced ? "quiesced" : "crash-consistent")})");
    }

    private static async Task SnapshotStoppedAsync(BackupContext work, CancellationToken ct)
    {
        var xml = XDocument.Parse(await work.Host.Virsh.DumpXmlAsync(work.Backup.VmName, inactive: true, ct));
        foreach (var v in work.Backup.Volumes)
        {
            await work.Host.QemuImg.CreateAsync(v.PrimaryDeltaPath!, "qcow2", null, v.SnapshotSourcePath, v.SourceFormat, ct);
            DomainXmlEditor.SetDiskSource(xml, v.Target, v.PrimaryDeltaPath!, "qcow2");
        }
        await work.Host.Virsh.DefineAsync(xml.ToString(), ct);
    }
}
