using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Restores;

/// <summary>
/// Restores one volume of a backup as a new image beside the target VM's disks and attaches it
/// to that VM (the same VM or another one) on the next free virtio target.
/// </summary>
[Activity("Backup.RestoreVolume", Category = "Restore", DisplayName = "Restore volume",
    Description = "Restores one volume as a new disk attached to the same or another VM.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class RestoreVolume(RestoreSourceLoader loader, Metrics.BackupMetrics metrics) : Activity
{
    [Input(Description = "Backup to restore from.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Volume (disk target) of the backup, e.g. vdb.", Required = true)]
    public string Volume { get; set; } = "";

    [Input(Description = "VM to attach the restored disk to; empty means the backup's own VM.")]
    public string? ToVm { get; set; }

    [Output(Description = "Path of the restored image.")]
    public string ImagePath { get; set; } = "";

    [Output(Description = "Target the disk was attached as.")]
    public string AttachedAs { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var started = context.TimeProvider.GetTimestamp();
        var source = await loader.LoadAsync(BackupId, null, ct);
        var volume = source.Volume(Volume);
        var vm = string.IsNullOrWhiteSpace(ToVm) ? source.Backup.VmName : ToVm;
        var host = source.Host;
        if (!await host.Virsh.ExistsAsync(vm, ct))
            throw new BackupInputException($"VM '{vm}' does not exist on host '{source.HostRecord.Name}'");
        await context.AcquireLockAsync($"vm:{source.HostRecord.Name}/{vm}");

        var def = await host.Virsh.GetDefinitionAsync(vm, inactive: true, ct);
        var dir = Path.GetDirectoryName(def.Disks.FirstOrDefault(d => d.Source is not null)?.Source ?? volume.PrimaryBasePath)!;
        ImagePath = Path.Combine(dir, $"{RepositoryLayout.SafeName(vm)}-{volume.Target}-restored-{source.Backup.Id.ToString("N")[..12]}.qcow2");
        if (!await host.Files.ExistsAsync(ImagePath, ct))
            await ChainFlattening.WriteAsync(host, context, volume.ImagePath, ImagePath, volume.VirtualSize, 0, volume.VirtualSize, $"restoring {volume.Target}");
        var attached = def.Disks.FirstOrDefault(d => d.Source == ImagePath);
        if (attached is not null) { AttachedAs = attached.Target; return Restored(); }

        AttachedAs = NextFreeTarget(def.Disks.Select(d => d.Target));
        var live = await PrimaryChains.IsActiveAsync(host, vm, ct);
        await host.Virsh.AttachDiskAsync(vm, ImagePath, AttachedAs, new AttachDiskOptions { Format = "qcow2", Bus = "virtio", Live = live, Persistent = true }, ct);
        context.Journal($"{volume.Target} of backup {source.Backup.Id} attached to {vm} as {AttachedAs}");
        return Restored();

        ActivityResult Restored()
        {
            metrics.RestoreEnded("volume", volume.VirtualSize, context.TimeProvider.GetElapsedTime(started));
            return ActivityResult.Done;
        }
    }

    /// <summary>The first vdX not used yet.</summary>
    public static string NextFreeTarget(IEnumerable<string> used)
    {
        var taken = used.ToHashSet(StringComparer.Ordinal);
        for (var c = 'b'; c <= 'z'; c++)
            if (!taken.Contains($"vd{c}")) return $"vd{c}";
        throw new BackupInputException("the VM has no free virtio disk target left");
    }
}
