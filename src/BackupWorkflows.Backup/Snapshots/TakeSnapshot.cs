using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>
/// Takes a disk-only VM snapshot: an external qcow2 overlay on top of every chosen disk, atomic
/// across disks, without libvirt snapshot metadata (running VMs: <c>snapshot-create-as --disk-only
/// --atomic --no-metadata [--quiesce]</c>; stopped VMs: <c>qemu-img create -b</c> and one redefinition).
/// </summary>
/// <remarks>Resumable: a resumed attempt finds the record it registered (by instance) and, when the VM
/// already writes to its overlays, only completes it.</remarks>
[Activity("Snapshot.TakeSnapshot", Category = "Snapshot", DisplayName = "Take VM snapshot",
    Description = "External disk-only snapshot of the VM's disks (all or the named ones), atomic, optionally quiesced.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class TakeSnapshot(HostRegistry hostRegistry, HostConnections hosts, SnapshotCatalog catalog,
    VmAssignments assignments, OfferingRegistry offerings) : Activity
{
    [Input(Description = "Name of the host the VM runs on.", Required = true)]
    public string Host { get; set; } = "";

    [Input(Description = "libvirt domain name of the VM.", Required = true)]
    public string Vm { get; set; } = "";

    [Input(Description = "Name of the snapshot; empty for one made from the time.")]
    public string Name { get; set; } = "";

    [Input(Description = "Disks to snapshot, comma-separated (vda,vdb); empty for every disk.")]
    public string Disks { get; set; } = "";

    [Input(Description = "Freeze the guest's file systems through the agent, with the offering's quiesce policy (Prefer when the VM is not assigned).")]
    public bool Quiesce { get; set; }

    [Output(Description = "Id of the snapshot.")]
    public string SnapshotId { get; set; } = "";

    [Output(Description = "True when the file systems were frozen.")]
    public bool Quiesced { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var host = hosts.SessionFor(await hostRegistry.HostAsync(Host, ct));
        await context.AcquireLockAsync($"vm:{Host}/{Vm}");
        var snapshot = (await catalog.ListForVmAsync(Host, Vm, ct))
            .FirstOrDefault(s => s.InstanceId == context.InstanceId && s.State is SnapshotState.Creating or SnapshotState.Error);
        // A fresh registration has just read the definition, under the VM's lock: it is used again, not read again.
        Kvm.Domains.DomainDefinition? def = null;
        if (snapshot is null) (snapshot, def) = await RegisterAsync(context, host, ct);
        else
        {
            context.Journal($"resumed: snapshot {snapshot.Id} was registered by an earlier attempt");
            snapshot.State = SnapshotState.Creating;
        }
        SnapshotId = snapshot.Id.ToString();

        def ??= await host.Virsh.GetDefinitionAsync(Vm, inactive: false, ct);
        var sources = def.Disks.ToDictionary(d => d.Target, d => d.Source, StringComparer.Ordinal);
        if (snapshot.Disks.All(d => sources.GetValueOrDefault(d.Target) == d.OverlayPath))
            context.Journal("the VM already writes to this snapshot's overlays (resumed)");
        else
        {
            foreach (var d in snapshot.Disks.Where(d => sources.GetValueOrDefault(d.Target) != d.ImagePath))
                throw new BackupInputException($"disk {d.Target} of VM '{Vm}' changed since the snapshot was registered (now {sources.GetValueOrDefault(d.Target)})");
            var overlays = snapshot.Disks.Select(d => new NewOverlay(d.Target, d.OverlayPath, d.ImagePath, d.ImageFormat)).ToList();
            try
            {
                var (quiesce, policy) = await QuiesceAsync(context, host, snapshot.VmWasRunning, ct);
                snapshot.Quiesced = await PrimaryChains.AddOverlaysAsync(host, Vm, overlays, quiesce, policy, context.Journal, ct);
            }
            catch (Exception e)
            {
                await DropUnusedOverlaysAsync(host, snapshot);
                snapshot.State = SnapshotState.Error;
                snapshot.Error = e.Message;
                await catalog.SaveAsync(CancellationToken.None);
                throw;
            }
        }
        snapshot.State = SnapshotState.Ready;
        snapshot.Error = null;
        await catalog.SaveAsync(ct);
        Quiesced = snapshot.Quiesced;
        context.Journal($"snapshot '{snapshot.Name}' taken of {string.Join(", ", snapshot.Disks.Select(d => d.Target))} " +
                        $"({(snapshot.Quiesced ? "quiesced" : snapshot.VmWasRunning ? "crash-consistent" : "offline")})");
        return ActivityResult.Done;
    }

    private async Task<(VmSnapshot Snapshot, Kvm.Domains.DomainDefinition Definition)> RegisterAsync(ActivityContext context, HostSession host, CancellationToken ct)
    {
        if (!await host.Virsh.ExistsAsync(Vm, ct)) throw new BackupInputException($"VM '{Vm}' does not exist on host '{Host}'");
        var def = await host.Virsh.GetDefinitionAsync(Vm, inactive: false, ct);
        var chosen = SnapshotDiskSelection.Select(def, SnapshotDiskSelection.ParseNames(Disks), Vm);
        var name = string.IsNullOrWhiteSpace(Name) ? $"snapshot-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}" : Name.Trim();
        var taken = await catalog.ListForVmAsync(Host, Vm, ct);
        if (taken.Any(s => s.Name == name && s.State is SnapshotState.Creating or SnapshotState.Ready or SnapshotState.Removed))
            throw new BackupInputException($"name: VM '{Vm}' already has a snapshot named '{name}'");
        var id = Guid.NewGuid();
        var disks = new List<SnapshotDisk>();
        foreach (var disk in chosen)
        {
            var info = await host.QemuImg.InfoAsync(disk.Source!, forceShare: true, cancellationToken: ct);
            disks.Add(new SnapshotDisk
            {
                Id = Guid.NewGuid(), SnapshotId = id, Target = disk.Target, ImagePath = disk.Source!, ImageFormat = info.Format,
                OverlayPath = RepositoryLayout.SnapshotOverlay(disk.Source!, id),
            });
        }
        var running = await PrimaryChains.IsActiveAsync(host, Vm, ct);
        context.Journal($"registered snapshot {id} '{name}' of {string.Join(", ", disks.Select(d => d.Target))} (VM {(running ? "running" : "stopped")})");
        return (await catalog.CreateAsync(new VmSnapshot
        {
            Id = id, HostName = Host, VmName = Vm, Name = name, InstanceId = context.InstanceId, VmWasRunning = running, Disks = disks,
        }, ct), def);
    }

    /// <summary>After a failed attempt: deletes the overlays the VM does not write to (an attempt on a stopped VM
    /// may have created some before the redefinition); the VM's disks are as before.</summary>
    private async Task DropUnusedOverlaysAsync(HostSession host, VmSnapshot snapshot)
    {
        try
        {
            var def = await host.Virsh.GetDefinitionAsync(Vm, inactive: false, CancellationToken.None);
            foreach (var d in snapshot.Disks.Where(d => def.Disk(d.Target).Source != d.OverlayPath))
                await host.Files.DeleteFileAsync(d.OverlayPath, CancellationToken.None);
        }
        catch (Kvm.Hosts.HostCommandException) { /* the cause of the failure matters more */ }
    }

    /// <summary>Whether to freeze, under which policy: the offering's when the VM is assigned, else Prefer.</summary>
    private async Task<(bool Quiesce, QuiescePolicy Policy)> QuiesceAsync(ActivityContext context, HostSession host, bool running, CancellationToken ct)
    {
        if (!Quiesce || !running) return (false, QuiescePolicy.Skip);
        var assignment = await assignments.FindAssignmentAsync(Host, Vm, ct);
        var policy = assignment is null ? QuiescePolicy.Prefer : (await offerings.OfferingAsync(assignment.OfferingName, ct)).Quiesce;
        return (await QuiesceDecision.FreezeAsync(host, Vm, policy, "snapshot", context.Journal, ct), policy);
    }
}
