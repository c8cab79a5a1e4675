using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Offerings;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.Xml.Linq;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Domains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Restores;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.QuickRestore;

/// <summary>
/// First half of a quick restore: stops the VM, gives every volume a new overlay on primary
/// whose backing file is the backup's image in the repository, and starts the VM at once.
/// The data is pulled into primary afterwards (<see cref="PullIntoPrimary"/>).
/// </summary>
/// <remarks>Refused (never retried) when the offering does not allow quick restores or the
/// repository is not reachable from the host. Idempotent: overlays already in place are kept.</remarks>
[Activity("Backup.StartQuickRestore", Category = "Restore", DisplayName = "Start quick restore",
    Description = "Stops the VM, puts it on overlays backed by the backup in the repository, starts it.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class StartQuickRestore(BackupCatalog catalog, HostRegistry hostRegistry, RepositoryRegistry repositories,
    OfferingRegistry offerings, VmAssignments assignments, HostConnections hosts, Snapshots.SnapshotFiles snapshotFiles) : Activity
{
    [Input(Description = "Backup to restore.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Host to run the VM on; empty = the backup's host.")]
    public string? TargetHost { get; set; }

    [Output(Description = "Host the VM now runs on.")]
    public string Host { get; set; } = "";

    [Output(Description = "Milliseconds from the start of this step until the VM was started.")]
    public long MillisecondsToStart { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        var id = BackupIds.Parse(BackupId);
        var backup = await catalog.GetAsync(id, ct);
        if (backup.State != Model.BackupState.BackedUp)
            throw new BackupInputException($"backup {id} is {backup.State}; only BackedUp backups can be restored");
        var assignment = await assignments.FindAssignmentAsync(backup.HostName, backup.VmName, ct);
        var offering = assignment is null ? null : await offerings.OfferingAsync(assignment.OfferingName, ct);
        if (offering is not { AllowQuickRestore: true })
            throw new BackupInputException($"quick restore is not allowed: the offering '{offering?.Name ?? "(none)"}' of VM '{backup.VmName}' does not allow it");
        var repo = await repositories.RepositoryAsync(backup.RepositoryName, ct);
        var target = await hostRegistry.HostAsync(string.IsNullOrWhiteSpace(TargetHost) ? backup.HostName : TargetHost, ct);
        var host = hosts.SessionFor(target);
        Host = target.Name;
        foreach (var v in backup.Volumes)
            if (!await ReachableAsync(host, v.ImagePath, ct))
                throw new BackupInputException($"repository '{repo.Name}' ({repo.Path}) is not reachable from host '{target.Name}': {v.ImagePath} cannot be read there");

        var vm = backup.VmName;
        await context.AcquireLockAsync($"vm:{target.Name}/{vm}");
        if ((context.IsResume || context.Attempt > 1) && await AlreadyOnOverlaysAsync(host, backup, ct))
        {
            // A resumed attempt: the VM may have written to the overlays already; never recreate them.
            if (!await PrimaryChains.IsActiveAsync(host, vm, ct)) await host.Virsh.StartAsync(vm, ct);
            context.Journal("resumed: the VM already runs on this restore's overlays");
            MillisecondsToStart = watch.ElapsedMilliseconds;
            await MarkSnapshotsStaleAsync(context, backup, host, backup.Volumes.ToDictionary(v => v.Target, string? (_) => null), ct);
            return ActivityResult.Done;
        }
        var xml = await StopAndTakeDefinitionAsync(context, backup, target, host, ct);
        context.Journal($"stopped after {watch.ElapsedMilliseconds} ms");
        var before = backup.Volumes.ToDictionary(v => v.Target, v => DomainXmlEditor.DiskSource(xml, v.Target));
        foreach (var v in backup.Volumes)
        {
            var overlay = QuickRestorePaths.Overlay(v.PrimaryBasePath, backup.Id);
            await host.Files.CreateDirectoryAsync(Path.GetDirectoryName(overlay)!, ct);
            await host.Files.DeleteFileAsync(overlay, ct);
            await host.QemuImg.CreateAsync(overlay, "qcow2", null, v.ImagePath, "qcow2", ct);
            DomainXmlEditor.SetDiskSource(xml, v.Target, overlay, "qcow2");
        }
        await host.Virsh.DefineAsync(xml.ToString(), ct);
        context.Journal($"overlays created and VM defined after {watch.ElapsedMilliseconds} ms");
        await host.Virsh.StartAsync(vm, ct);
        MillisecondsToStart = watch.ElapsedMilliseconds;
        context.Journal($"VM started on overlays backed by backup {backup.Id} after {MillisecondsToStart} ms");
        // After the start: the snapshots' records and files do not delay the VM.
        await MarkSnapshotsStaleAsync(context, backup, host, before, ct);

        if (assignment is not null)
        {
            assignment.ChainEndedReason = $"quick-restored from backup {backup.Id}";
            await assignments.SaveAsync(ct);
        }
        return ActivityResult.Done;
    }

    /// <summary>The VM's snapshots of the replaced disks no longer match them: Stale, with the reason, on the
    /// host the VM ran on (<see cref="Snapshots.SnapshotFiles.MarkStaleAsync"/>).</summary>
    private async Task MarkSnapshotsStaleAsync(ActivityContext context, Model.BackupRecord backup, HostSession host,
        Dictionary<string, string?> before, CancellationToken ct)
    {
        var source = host.Host.Name == backup.HostName ? host : hosts.SessionFor(await hostRegistry.HostAsync(backup.HostName, ct));
        await snapshotFiles.MarkStaleAsync(source, backup.VmName, before,
            $"disk {string.Join(", ", before.Keys)} was quick-restored from backup {backup.Id} after it was taken", context.Journal, ct);
    }

    private static async Task<bool> AlreadyOnOverlaysAsync(HostSession host, Model.BackupRecord backup, CancellationToken ct)
    {
        if (!await host.Virsh.ExistsAsync(backup.VmName, ct)) return false;
        var def = await host.Virsh.GetDefinitionAsync(backup.VmName, inactive: true, ct);
        return backup.Volumes.All(v => def.Disks.Any(d => d.Target == v.Target && d.Source == QuickRestorePaths.Overlay(v.PrimaryBasePath, backup.Id)));
    }

    private static async Task<bool> ReachableAsync(HostSession host, string path, CancellationToken ct)
    {
        try { return await host.Files.ExistsAsync(path, ct); }
        catch (HostCommandException) { return false; }
    }

    /// <summary>Stops the VM wherever it runs and returns the definition to give the overlays to;
    /// when it moves to another host it is undefined on the old one (its files stay).</summary>
    private async Task<XDocument> StopAndTakeDefinitionAsync(ActivityContext context, Model.BackupRecord backup,
        Model.HostRecord target, HostSession host, CancellationToken ct)
    {
        var vm = backup.VmName;
        var source = target.Name == backup.HostName ? host : hosts.SessionFor(await hostRegistry.HostAsync(backup.HostName, ct));
        string? current = null;
        if (await source.Virsh.ExistsAsync(vm, ct))
        {
            if (await PrimaryChains.IsActiveAsync(source, vm, ct))
            {
                await source.Virsh.DestroyAsync(vm, ct);
                context.Journal($"VM stopped on '{source.Host.Name}'");
            }
            current = await source.Virsh.DumpXmlAsync(vm, inactive: true, ct);
            if (source != host)
            {
                await source.Virsh.UndefineAsync(vm, cancellationToken: ct);
                context.Journal($"VM undefined on '{source.Host.Name}' (its files are kept)");
            }
        }
        if (source != host && await host.Virsh.ExistsAsync(vm, ct))
        {
            if (await PrimaryChains.IsActiveAsync(host, vm, ct)) await host.Virsh.DestroyAsync(vm, ct);
            current = await host.Virsh.DumpXmlAsync(vm, inactive: true, ct);
        }
        return XDocument.Parse(current ?? backup.DomainXml
            ?? throw new BackupInputException($"VM '{vm}' does not exist and backup {backup.Id} holds no domain XML"));
    }
}
