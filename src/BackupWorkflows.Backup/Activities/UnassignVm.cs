using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Takes a VM out of its offering: every backup delta on primary is merged and every checkpoint of
/// ours deleted, leaving the VM on plain volumes, then the assignment goes. Its backups stay until deleted.
/// </summary>
[Activity("Backup.UnassignVm", Category = "Backup", DisplayName = "Unassign VM",
    Description = "Merges all deltas on primary and removes the VM from its offering.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class UnassignVm(HostRegistry hostRegistry, VmAssignments assignments, HostConnections hosts, Snapshots.SnapshotFiles snapshots) : Activity
{
    [Input(Description = "Host the VM runs on.", Required = true)]
    public string Host { get; set; } = "";

    [Input(Description = "libvirt domain name.", Required = true)]
    public string Vm { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var assignment = await assignments.AssignmentAsync(Host, Vm, ct);
        await context.AcquireLockAsync($"vm:{Host}/{Vm}");
        var host = hosts.SessionFor(await hostRegistry.HostAsync(Host, ct));
        if (await host.Virsh.ExistsAsync(Vm, ct))
        {
            var def = await host.Virsh.GetDefinitionAsync(Vm, inactive: false, ct);
            foreach (var disk in def.Disks.Where(d => d.Device == "disk" && d.SourceType == "file" && d.Source is not null))
            {
                // Normally one delta, the active image or under VM snapshot overlays; older ones left by an
                // interrupted job too. Each is merged where it lies, topmost first; snapshots keep theirs.
                var chain = await host.QemuImg.BackingChainAsync(disk.Source!, forceShare: true, cancellationToken: ct);
                foreach (var delta in chain.Take(chain.Count - 1).Select(i => i.Filename).Where(RepositoryLayout.IsPrimaryDelta))
                {
                    var into = await snapshots.MergeDeltaAsync(host, Vm, disk.Target, delta, ct);
                    context.Journal($"{disk.Target}: delta {delta} merged into {into}");
                }
            }
            // The bitmap strategy's checkpoint would keep a bitmap recording every write for nobody.
            var retired = await Bitmaps.BitmapTracking.RetireAsync(host, Vm, keep: null, ct);
            if (retired.Count > 0) context.Journal($"checkpoints deleted: {string.Join(", ", retired)}");
        }
        await assignments.RemoveAssignmentAsync(assignment, ct);
        return ActivityResult.Done;
    }
}
