using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Bitmaps;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Checks the VM and its policy, decides full or incremental by the chain rules, takes the VM's
/// and the host's locks, and registers the backup in state Creating.
/// </summary>
/// <remarks>On resume it finds the backup it registered before (by instance id) and keeps that decision.</remarks>
[Activity("Backup.PrepareBackup", Category = "Backup", DisplayName = "Prepare backup",
    Description = "Checks the VM, decides full or incremental by the chain rules, registers the backup.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class PrepareBackup(HostRegistry hostRegistry, RepositoryRegistry repositories, OfferingRegistry offerings,
    VmAssignments assignments, BackupCatalog catalog, HostConnections hosts) : Activity
{
    [Input(Description = "Name of the host the VM runs on.", Required = true)]
    public string Host { get; set; } = "";

    [Input(Description = "libvirt domain name of the VM.", Required = true)]
    public string Vm { get; set; } = "";

    [Input(Description = "auto (chain rules decide), full or isolated.", Default = "auto", UIHint = "dropdown")]
    public string Type { get; set; } = "auto";

    [Output(Description = "Id of the registered backup.")]
    public string BackupId { get; set; } = "";

    [Output(Description = "Full, Incremental or Isolated.")]
    public string BackupType { get; set; } = "";

    [Output(Description = "Why this type was chosen.")]
    public string Reason { get; set; } = "";

    [Output(Description = "The offering's strategy: delta or bitmap.")]
    public string Strategy { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var requested = Type.Trim().ToLowerInvariant() switch
        {
            "auto" or "" => RequestedBackup.Auto,
            "full" => RequestedBackup.Full,
            "isolated" => RequestedBackup.Isolated,
            _ => throw new BackupInputException($"backup type '{Type}' is not auto, full or isolated"),
        };
        var host = await hostRegistry.HostAsync(Host, ct);
        var assignment = await assignments.AssignmentAsync(Host, Vm, ct);
        var offering = await offerings.OfferingAsync(assignment.OfferingName, ct);
        var repo = await repositories.RepositoryAsync(assignment.RepositoryName, ct);

        await context.AcquireLockAsync($"vm:{Host}/{Vm}");
        await context.AcquireLockAsync($"host:{Host}:backups", Math.Max(1, host.MaxConcurrentBackups));

        var backup = (await catalog.ListForVmAsync(Host, Vm, ct))
            .FirstOrDefault(b => b.State == BackupState.Creating && b.InstanceId == context.InstanceId);
        if (backup is null)
        {
            var session = hosts.SessionFor(host);
            if (!await session.Virsh.ExistsAsync(Vm, ct))
                throw new BackupInputException($"VM '{Vm}' does not exist on host '{Host}'");
            backup = await RegisterAsync(context, session, assignment, offering, repo, requested, ct);
        }
        else context.Journal($"resumed: backup {backup.Id} was registered by an earlier attempt");

        BackupId = backup.Id.ToString();
        BackupType = backup.Type.ToString();
        Reason = backup.TypeReason ?? "";
        Strategy = BackupStrategies.NameOf(backup.Strategy);
        return ActivityResult.Done;
    }

    private async Task<BackupRecord> RegisterAsync(ActivityContext context, HostSession session, VmAssignment assignment,
        Offering offering, RepositoryRecord repo, RequestedBackup requested, CancellationToken ct)
    {
        var running = await PrimaryChains.IsActiveAsync(session, Vm, ct);
        var live = await session.Virsh.GetDefinitionAsync(Vm, inactive: false, ct);
        var inactiveXml = await session.Virsh.DumpXmlAsync(Vm, inactive: true, ct);
        var disks = DiskSelection.Included(live, assignment.ExcludedDisks, Vm);

        var id = Guid.NewGuid();
        var jobCopies = offering.Strategy == BackupStrategy.Bitmap && running;
        var volumes = new List<BackupVolume>();
        var current = new List<CurrentDisk>();
        var rawDisks = new List<string>();
        foreach (var disk in disks)
        {
            var chain = await session.QemuImg.BackingChainAsync(disk.Source!, forceShare: true, cancellationToken: ct);
            var active = chain[0];
            // The disk's own image: the active one without our overlays (backup deltas, VM snapshot and
            // revert overlays); a template backing file is never written to. Restores write it.
            var basePath = RepositoryLayout.PrimaryStem(active.Filename);
            if (chain.All(i => i.Filename != basePath))
                basePath = RepositoryLayout.IsPrimaryDelta(active.Filename) && chain.Count > 1 ? chain[1].Filename : active.Filename;
            current.Add(new CurrentDisk(disk.Target, active.Filename, true, [.. chain.Select(i => i.Filename)]));
            if (active.Format == "raw") rawDisks.Add(disk.Target);
            volumes.Add(new BackupVolume
            {
                Id = Guid.NewGuid(), BackupId = id, Target = disk.Target, PrimaryBasePath = basePath,
                SnapshotSourcePath = active.Filename, SourceFormat = active.Format,
                // A backup job reads the running disk itself: no overlay on primary.
                PrimaryDeltaPath = jobCopies ? null : RepositoryLayout.PrimaryDelta(basePath, id),
                ImagePath = RepositoryLayout.VolumeImage(repo.Path, Vm, id, disk.Target),
                VirtualSize = active.VirtualSize,
            });
        }

        var latest = await catalog.LatestInChainAsync(Host, Vm, ct);
        // A deleted parent file breaks the chain as surely as a missing delta: check the files too.
        var ended = assignment.ChainEndedReason
            ?? (requested == RequestedBackup.Auto ? await Validation.ChainPresence.FindMissingAsync(session, catalog, latest, ct) : null);
        var bitmaps = offering.Strategy == BackupStrategy.Bitmap
            ? await BitmapTracking.FactsAsync(session, Vm, running, rawDisks, ct) : null;
        var decision = ChainRules.Decide(requested, offering.ChainSize, latest, ended, current, offering.Strategy, bitmaps);
        context.Journal($"{decision.Type} ({BackupStrategies.NameOf(offering.Strategy)}): {decision.Reason}");
        var backup = new BackupRecord
        {
            Id = id, VmName = Vm, HostName = Host, RepositoryName = repo.Name, Type = decision.Type,
            ParentId = decision.Parent, ChainId = decision.Type == Model.BackupType.Full ? id : decision.ChainId,
            ChainPosition = decision.ChainPosition, DomainXml = inactiveXml, VmWasRunning = running,
            InstanceId = context.InstanceId, Volumes = volumes, TypeReason = decision.Reason, Strategy = offering.Strategy,
            // The checkpoint the next incremental starts from; raw images cannot hold its bitmap.
            Checkpoint = jobCopies && rawDisks.Count == 0 && decision.Type != Model.BackupType.Isolated ? BitmapTracking.CheckpointOf(id) : null,
        };
        return await catalog.CreateAsync(backup, ct);
    }
}
