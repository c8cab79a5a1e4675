using System.Xml.Linq;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Restores;

/// <summary>
/// Restores a whole VM in place: stops it, rebuilds each volume from its backup chain into the
/// volume's base path, drops the deltas, points the domain at the restored images and starts it
/// again if it was running. The restore ends the VM's chain: its next backup is full.
/// </summary>
/// <remarks>Each image is written under a temporary name and renamed, so an interrupted restore
/// leaves either the old or the new image, never half of one; a resumed attempt simply redoes it.</remarks>
[Activity("Backup.RestoreVm", Category = "Restore", DisplayName = "Restore VM",
    Description = "Stops the VM, rebuilds every volume from the backup chain, fixes the domain's paths and starts it again.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class RestoreVm(RestoreSourceLoader loader, Infrastructure infra) : Activity
{
    [Input(Description = "Backup to restore.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Start the VM afterwards: auto (if it was running), true or false.", Default = "auto")]
    public string Start { get; set; } = "auto";

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
        var wasRunning = exists && await PrimaryChains.IsActiveAsync(host, vm, ct);
        if (wasRunning)
        {
            await host.Virsh.DestroyAsync(vm, ct);
            context.Journal("VM stopped");
        }
        var xml = XDocument.Parse(exists ? await host.Virsh.DumpXmlAsync(vm, inactive: true, ct)
            : backup.DomainXml ?? throw new BackupInputException($"VM '{vm}' no longer exists and backup {backup.Id} holds no domain XML"));

        var total = backup.Volumes.Sum(v => v.VirtualSize);
        long done = 0;
        foreach (var v in backup.Volumes)
        {
            await ChainFlattening.WriteAsync(host, context, v.ImagePath, v.PrimaryBasePath, v.VirtualSize, done, total, $"restoring {v.Target}");
            await DropDeltasAsync(host, xml, v.Target, v.PrimaryBasePath, ct);
            DomainXmlEditor.SetDiskSource(xml, v.Target, v.PrimaryBasePath, "qcow2");
            done += v.VirtualSize;
            context.Journal($"{v.Target} restored into {v.PrimaryBasePath}");
        }
        await host.Virsh.DefineAsync(xml.ToString(), ct);

        if (await infra.FindAssignmentAsync(backup.HostName, vm, ct) is { } assignment)
        {
            assignment.ChainEndedReason = $"restored from backup {backup.Id}";
            await infra.SaveAsync(ct);
        }
        Started = Start switch { "true" => true, "false" => false, _ => wasRunning || !exists && backup.VmWasRunning };
        if (Started) await host.Virsh.StartAsync(vm, ct);
        return ActivityResult.Done;
    }

    /// <summary>Deletes the backup overlays the disk used on top of its base.</summary>
    private static async Task DropDeltasAsync(HostSession host, XDocument xml, string target, string basePath, CancellationToken ct)
    {
        var current = xml.Descendants("disk").FirstOrDefault(d => (string?)d.Element("target")?.Attribute("dev") == target)
            ?.Element("source")?.Attribute("file")?.Value;
        if (current is null || current == basePath || !RepositoryLayout.IsPrimaryDelta(current)) return;
        if (!await host.Files.ExistsAsync(current, ct)) return;
        var chain = await host.QemuImg.BackingChainAsync(current, forceShare: true, cancellationToken: ct);
        foreach (var image in chain.TakeWhile(i => i.Filename != basePath && RepositoryLayout.IsPrimaryDelta(i.Filename)))
            await host.Files.DeleteFileAsync(image.Filename, ct);
    }
}
