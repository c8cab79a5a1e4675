using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>
/// Reverts a stopped VM to a snapshot: each disk of the snapshot gets a new overlay on top of the
/// snapshot's image and the domain is redefined onto them (all disks at once). The chain the VM ran
/// on is then tidied: overlays nothing needs are deleted. A revert to a snapshot taken before the
/// last backup ends the backup chain (the next backup is full and says why).
/// </summary>
/// <remarks>Resumable: the overlays are named after the instance, so a resumed attempt finds the VM
/// on them and only finishes the tidying.</remarks>
[Activity("Snapshot.RevertSnapshot", Category = "Snapshot", DisplayName = "Revert to VM snapshot",
    Description = "The stopped VM runs on a new overlay on top of the snapshot; the abandoned chain is tidied.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class RevertSnapshot(SnapshotCatalog catalog, SnapshotFiles files, HostRegistry hostRegistry, HostConnections hosts,
    BackupCatalog backups, VmAssignments assignments) : Activity
{
    [Input(Description = "Snapshot to revert to.", Required = true)]
    public string SnapshotId { get; set; } = "";

    [Output(Description = "Set when the revert ended the VM's backup chain (the next backup is full).")]
    public string ChainEnded { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var snapshot = await SnapshotIds.LoadAsync(catalog, SnapshotId, ct);
        var vm = snapshot.VmName;
        await context.AcquireLockAsync($"vm:{snapshot.HostName}/{vm}");
        var host = hosts.SessionFor(await hostRegistry.HostAsync(snapshot.HostName, ct));
        if (!await host.Virsh.ExistsAsync(vm, ct)) throw new BackupInputException($"VM '{vm}' no longer exists on host '{snapshot.HostName}'");

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context.InstanceId)))[..12];
        var overlays = snapshot.Disks.ToDictionary(d => d.Target, d => RepositoryLayout.RevertOverlay(d.ImagePath, key), StringComparer.Ordinal);
        var def = await host.Virsh.GetDefinitionAsync(vm, inactive: true, ct);
        var resumed = snapshot.Disks.All(d => def.Disk(d.Target).Source == overlays[d.Target]);
        var left = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!resumed)
        {
            if (snapshot.State != SnapshotState.Ready)
                throw new BackupInputException($"snapshot '{snapshot.Name}' is {snapshot.State}; only Ready snapshots can be reverted to" +
                    (snapshot.State == SnapshotState.Stale ? $" ({snapshot.Error})" : ""));
            if (await PrimaryChains.IsActiveAsync(host, vm, ct))
                throw new BackupInputException($"VM '{vm}' is running; stop it first (bwf vm stop or virsh shutdown {vm}), then revert");
            // The definition read above, as a copy to edit: the VM is locked and stopped, so it cannot have changed.
            var xml = new XDocument(def.Document);
            foreach (var d in snapshot.Disks)
            {
                var source = def.Disk(d.Target).Source;
                left[d.Target] = source is null ? [] : [.. (await host.QemuImg.BackingChainAsync(source, forceShare: true, cancellationToken: ct)).Select(i => i.Filename)];
                await host.QemuImg.CreateAsync(overlays[d.Target], "qcow2", null, d.ImagePath, d.ImageFormat, ct);
                DomainXmlEditor.SetDiskSource(xml, d.Target, overlays[d.Target], "qcow2");
            }
            await host.Virsh.DefineAsync(xml.ToString(), ct);
            context.Journal($"VM '{vm}' reverted to snapshot '{snapshot.Name}': {string.Join(", ", overlays.Select(o => $"{o.Key} on {o.Value}"))}");
            await EndChainIfBeforeLastBackupAsync(context, host, snapshot, left, ct);
        }
        else context.Journal("the VM already runs on this revert's overlays (resumed)");

        foreach (var d in snapshot.Disks)
            await files.TidyAsync(host, vm, d.Target, left.GetValueOrDefault(d.Target) ?? [], context.Journal, ct);
        return ActivityResult.Done;
    }

    /// <summary>When a reverted disk no longer holds the delta the last backup left, the next backup must be full.</summary>
    private async Task EndChainIfBeforeLastBackupAsync(ActivityContext context, HostSession host, VmSnapshot snapshot,
        Dictionary<string, List<string>> left, CancellationToken ct)
    {
        var latest = await backups.LatestInChainAsync(snapshot.HostName, snapshot.VmName, ct);
        if (latest is null) return;
        var reverted = new List<string>();
        foreach (var d in snapshot.Disks)
        {
            var delta = latest.Volumes.FirstOrDefault(v => v.Target == d.Target)?.PrimaryDeltaPath;
            if (delta is null || !left[d.Target].Contains(delta)) continue;
            var now = await host.QemuImg.BackingChainAsync(d.ImagePath, forceShare: true, cancellationToken: ct);
            if (now.All(i => i.Filename != delta)) reverted.Add(d.Target);
        }
        if (reverted.Count == 0) return;
        ChainEnded = $"disk {string.Join(", ", reverted)} reverted to snapshot '{snapshot.Name}', taken before backup {latest.Id}";
        if (await assignments.FindAssignmentAsync(snapshot.HostName, snapshot.VmName, ct) is { } assignment)
        {
            assignment.ChainEndedReason = ChainEnded;
            await assignments.SaveAsync(ct);
        }
        context.Journal($"backup chain ended: {ChainEnded}");
    }
}
