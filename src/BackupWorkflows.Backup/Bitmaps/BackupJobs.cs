using BackupWorkflows.Backup.Activities;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Bitmaps;

/// <summary>
/// The bitmap strategy's copy: a push-mode <c>virsh backup-begin</c> whose targets are the volumes'
/// <c>.partial</c> images in the repository (QEMU writes them; no staging copy, no overlay on primary).
/// A full copies every disk, an incremental only the blocks the parent's checkpoint bitmap marks;
/// libvirt makes an incremental's target with the disk as backing file, and <see cref="StoreInRepository"/>
/// rebases it onto the parent backup's image, so restores read it like any other chain.
/// </summary>
public sealed class BackupJobs(BackupCatalog catalog, PrimaryChains chains, RepositoryCapacity capacity)
{
    /// <summary>Starts the backup job at the backup's point in time: freezes the guest around
    /// <c>backup-begin</c> when <paramref name="mode"/> is <c>quiesce</c> (thawed as soon as it returns).</summary>
    /// <returns>Whether the file systems were frozen.</returns>
    /// <remarks>Idempotent: a job already begun (its checkpoint or targets exist) is left to run.</remarks>
    public async Task<bool> BeginAsync(ActivityContext context, BackupContext work, string mode, CancellationToken ct)
    {
        var backup = work.Backup;
        var vm = backup.VmName;
        var virsh = work.Host.Virsh;
        if (await AlreadyBegunAsync(work, ct))
        {
            context.Journal("the backup job was begun by an earlier attempt (resumed)");
            return backup.Quiesced;
        }

        var def = await virsh.GetDefinitionAsync(vm, inactive: false, ct);
        foreach (var v in backup.Volumes)
        {
            var source = def.Disk(v.Target).Source;
            if (source == v.PrimaryBasePath) continue;
            if (source != v.SnapshotSourcePath || !RepositoryLayout.IsPrimaryDelta(source!))
                throw new BackupInputException($"disk {v.Target} of VM '{vm}' changed since the backup was prepared (now {source})");
            // Left by the delta strategy: merged first, so no delta stays behind and the bitmap sits on the base.
            await chains.CommitActiveIntoBackingAsync(work.Host, vm, v.Target, source!, v.PrimaryBasePath, ct);
            context.Journal($"{v.Target}: delta {source} left by the delta strategy merged into {v.PrimaryBasePath}");
            v.SnapshotSourcePath = v.PrimaryBasePath;
        }
        await catalog.SaveAsync(ct);

        var parent = backup.ParentId is { } pid ? await catalog.GetAsync(pid, ct) : null;
        await work.Host.Files.CreateDirectoryAsync(RepositoryLayout.BackupDir(work.Repository.Path, vm, backup.Id), ct);
        if (backup.Type == BackupType.Full || backup.Type == BackupType.Isolated)
        {
            long allocated = 0;
            foreach (var v in backup.Volumes)
                allocated += (await work.Host.QemuImg.InfoAsync(v.PrimaryBasePath, forceShare: true, cancellationToken: ct)).ActualSize ?? v.VirtualSize;
            await capacity.EnsureFitsAsync(work, allocated, ct);
        }
        var targets = backup.Volumes.ToDictionary(v => v.Target, v => v.ImagePath + RepositoryLayout.PartialSuffix, StringComparer.Ordinal);
        foreach (var partial in targets.Values) await work.Host.Files.DeleteFileAsync(partial, ct);
        var spec = new DomainBackupSpec(targets, parent?.Checkpoint, backup.Checkpoint);
        var allDisks = def.Disks.Where(d => d.Device == "disk").Select(d => d.Target).ToList();

        var frozen = mode == "quiesce" && await TryFreezeAsync(context, work, ct);
        try
        {
            await virsh.BeginBackupAsync(vm, spec, allDisks, ct);
        }
        finally
        {
            if (frozen) await work.Host.AgentOf(vm).ThawAsync(CancellationToken.None);
        }
        context.Journal($"backup job begun ({(frozen ? "quiesced" : "crash-consistent")}, " +
                        $"{(spec.Incremental is null ? "full" : "changes since checkpoint " + spec.Incremental)}" +
                        $"{(spec.NewCheckpoint is null ? ", no checkpoint" : ", new checkpoint " + spec.NewCheckpoint)})");
        return frozen;
    }

    /// <summary>Waits for the VM's backup job to complete, reporting its progress.</summary>
    public async Task WaitAsync(ActivityContext context, BackupContext work, CancellationToken ct)
    {
        var total = work.Backup.Volumes.Sum(v => v.VirtualSize);
        await work.Host.Virsh.WaitForBackupJobAsync(work.Backup.VmName,
            job => context.ReportProgress(job.Processed, Math.Max(job.Total, total), "backup job copying"), ct);
    }

    /// <summary>Undoes what a failed attempt began: aborts a running job and deletes this backup's checkpoint,
    /// so the previous checkpoint (still recording) stays the base of the next incremental.</summary>
    public static async Task AbortAsync(ActivityContext context, BackupContext work, CancellationToken ct)
    {
        var vm = work.Backup.VmName;
        if (!await work.Host.Virsh.ExistsAsync(vm, ct)) return;
        if (await PrimaryChains.IsActiveAsync(work.Host, vm, ct))
        {
            await work.Host.Virsh.AbortJobAsync(vm, ct);
        }
        if (work.Backup.Checkpoint is { } checkpoint && await work.Host.Virsh.HasCheckpointAsync(vm, checkpoint, ct))
        {
            await work.Host.Virsh.DeleteCheckpointAsync(vm, checkpoint, ct);
            context.Journal($"checkpoint {checkpoint} of this attempt deleted");
        }
    }

    private static async Task<bool> AlreadyBegunAsync(BackupContext work, CancellationToken ct)
    {
        if (work.Backup.Checkpoint is { } checkpoint)
            return await work.Host.Virsh.HasCheckpointAsync(work.Backup.VmName, checkpoint, ct);
        var job = await work.Host.Virsh.GetJobAsync(work.Backup.VmName, cancellationToken: ct);
        return job.Running && job.Operation == DomainJob.BackupOperation;
    }

    private static async Task<bool> TryFreezeAsync(ActivityContext context, BackupContext work, CancellationToken ct)
    {
        try
        {
            await work.Host.AgentOf(work.Backup.VmName).FreezeAsync(cancellationToken: ct);
            return true;
        }
        catch (Exception e) when (e is HostCommandException or Kvm.Agent.GuestAgentUnavailableException
                                  && work.Offering.Quiesce != QuiescePolicy.Require)
        {
            context.Journal($"freezing the file systems failed ({e.Message.Split('\n')[0]}): taking the backup crash-consistent");
            return false;
        }
    }
}
