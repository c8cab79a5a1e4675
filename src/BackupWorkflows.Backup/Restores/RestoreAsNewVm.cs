using System.Xml.Linq;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Restores;

/// <summary>
/// Creates a new VM from a backup: the stored domain XML with a new name, a new UUID and new
/// MAC addresses (so it can run beside the original), and volumes restored beside the original's.
/// </summary>
[Activity("Backup.RestoreAsNewVm", Category = "Restore", DisplayName = "Restore as new VM",
    Description = "Defines a new VM (new name, UUID and MACs) from a backup and restores its volumes.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class RestoreAsNewVm(RestoreSourceLoader loader, Metrics.BackupMetrics metrics) : Activity
{
    [Input(Description = "Backup to restore.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Name of the new VM.", Required = true)]
    public string Name { get; set; } = "";

    [Input(Description = "Start the new VM afterwards.", Default = true)]
    public bool Start { get; set; } = true;

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var started = context.TimeProvider.GetTimestamp();
        if (!Model.VmNames.IsValid(Name)) throw new BackupInputException($"'{Name}' is not a valid VM name: it must be {Model.VmNames.Rule}");
        var source = await loader.LoadAsync(BackupId, null, ct);
        var host = source.Host;
        var paths = source.Backup.Volumes.ToDictionary(v => v.Target,
            v => Path.Combine(Path.GetDirectoryName(v.PrimaryBasePath)!, $"{RepositoryLayout.SafeName(Name)}-{RepositoryLayout.SafeName(v.Target)}.qcow2"));
        if (await host.Virsh.ExistsAsync(Name, ct))
        {
            // Our own earlier attempt (same disk paths) is finished, not refused: the activity is idempotent.
            var existing = await host.Virsh.GetDefinitionAsync(Name, inactive: true, ct);
            if (context.Attempt == 1 || existing.Disks.Where(d => d.Source is not null).Any(d => !paths.ContainsValue(d.Source!)))
                throw new BackupInputException($"a VM named '{Name}' already exists on host '{source.HostRecord.Name}'");
            context.Journal($"VM '{Name}' was defined by an earlier attempt");
            if (Start && !await Hosts.PrimaryChains.IsActiveAsync(host, Name, ct)) await host.Virsh.StartAsync(Name, ct);
            return ActivityResult.Done;
        }
        var xml = XDocument.Parse(source.Backup.DomainXml
            ?? throw new BackupInputException($"backup {source.Backup.Id} holds no domain XML"));
        DomainXmlEditor.MakeNewIdentity(xml, Name);

        var excluded = xml.Descendants("disk")
            .Where(d => (string?)d.Attribute("device") == "disk")
            .Select(d => (string?)d.Element("target")?.Attribute("dev"))
            .Where(t => t is not null && source.Backup.Volumes.All(v => v.Target != t)).ToList();
        foreach (var target in excluded) DomainXmlEditor.RemoveDisk(xml, target!);
        if (excluded.Count > 0) context.Journal($"disks not in the backup left out: {string.Join(", ", excluded)}");

        var total = source.Backup.Volumes.Sum(v => v.VirtualSize);
        long done = 0;
        foreach (var v in source.Backup.Volumes)
        {
            var path = paths[v.Target];
            await ChainFlattening.WriteAsync(host, context, v.ImagePath, path, v.VirtualSize, done, total, $"restoring {v.Target}");
            DomainXmlEditor.SetDiskSource(xml, v.Target, path, "qcow2");
            done += v.VirtualSize;
        }
        await host.Virsh.DefineAsync(xml.ToString(), ct);
        context.Journal($"VM '{Name}' defined from backup {source.Backup.Id}");
        if (Start) await host.Virsh.StartAsync(Name, ct);
        metrics.RestoreEnded("new_vm", total, context.TimeProvider.GetElapsedTime(started));
        return ActivityResult.Done;
    }
}
