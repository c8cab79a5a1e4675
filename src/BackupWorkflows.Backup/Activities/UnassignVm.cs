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
public sealed class UnassignVm(HostRegistry hostRegistry, VmAssignments assignments, HostConnections hosts, PrimaryChains chains) : Activity
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
            foreach (var disk in def.Disks.Where(d => d.Source is not null && RepositoryLayout.IsPrimaryDelta(d.Source)))
            {
                var chain = await host.QemuImg.BackingChainAsync(disk.Source!, forceShare: true, cancellationToken: ct);
                var deltas = chain.TakeWhile(i => RepositoryLayout.IsPrimaryDelta(i.Filename)).ToList();
                var basePath = chain.Skip(deltas.Count).FirstOrDefault()?.Filename;
                if (basePath is null) continue;
                // Normally there is one delta; older ones left by an interrupted job are committed too
                // (committing the highest one merges everything below it into the base).
                if (deltas.Count > 1)
                {
                    await chains.CommitIntoBaseAsync(host, Vm, disk.Target, deltas[1].Filename, basePath, ct);
                    foreach (var stale in deltas.Skip(2)) await host.Files.DeleteFileAsync(stale.Filename, ct);
                }
                await chains.CommitActiveIntoBackingAsync(host, Vm, disk.Target, disk.Source!, basePath, ct);
                context.Journal($"{disk.Target}: deltas merged; the VM runs on {basePath}");
            }
            // The bitmap strategy's checkpoint would keep a bitmap recording every write for nobody.
            var retired = await Bitmaps.BitmapTracking.RetireAsync(host, Vm, keep: null, ct);
            if (retired.Count > 0) context.Journal($"checkpoints deleted: {string.Join(", ", retired)}");
        }
        await assignments.RemoveAssignmentAsync(assignment, ct);
        return ActivityResult.Done;
    }
}
