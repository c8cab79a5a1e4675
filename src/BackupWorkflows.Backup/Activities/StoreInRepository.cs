using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Staging;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Puts each volume's image into the repository: a full moves its staged copy; an incremental
/// copies the read-only delta (only the changed clusters) and rebases it onto its parent backup.
/// Every file is written under a <c>.partial</c> name, fsynced and checksummed (at once), then renamed.
/// A bitmap backup's job writes the <c>.partial</c> images itself: this waits for it, rebases an incremental
/// onto its parent's image, and finishes the same way.
/// </summary>
[Activity("Backup.StoreInRepository", Category = "Backup", DisplayName = "Store in repository",
    Description = "Writes each volume into the repository (temporary name, fsync, checksum, rename).")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 5, NonRetryable = [typeof(BackupInputException)])]
public sealed class StoreInRepository(BackupContextLoader loader, BackupCatalog catalog, RepositoryCapacity capacity,
    StagingReservations reservations, Bitmaps.BackupJobs backupJobs) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Bytes stored in the repository.")]
    public long StoredBytes { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var backup = work.Backup;
        var files = work.Host.Files;
        var dir = RepositoryLayout.BackupDir(work.Repository.Path, backup.VmName, backup.Id);
        await files.CreateDirectoryAsync(dir, ct);
        var parent = backup.ParentId is { } pid ? await catalog.GetAsync(pid, ct) : null;
        var estimate = await EstimateAsync(work, ct);
        await capacity.EnsureFitsAsync(work, estimate, ct);

        var total = backup.Volumes.Sum(v => v.VirtualSize);
        long done = 0;
        if (backup.UsesBackupJob && backup.Volumes.Any(v => v.Checksum is null))
        {
            await backupJobs.WaitAsync(context, work, ct);
            context.Journal("backup job completed");
        }
        foreach (var v in backup.Volumes)
        {
            if (v.Checksum is not null && await files.ExistsAsync(v.ImagePath, ct)) { done += v.VirtualSize; continue; }
            var partial = v.ImagePath + RepositoryLayout.PartialSuffix;
            context.ReportProgress(done, total, $"storing {v.Target}");
            var written = partial;
            if (backup.UsesBackupJob)
            {
                if (!await files.ExistsAsync(partial, ct))
                    written = await files.ExistsAsync(v.ImagePath, ct) ? v.ImagePath
                        : throw new InvalidOperationException($"the backup job left no image of {v.Target} ({partial}); take the backup again");
                else if (backup.Type == BackupType.Incremental)
                    await work.Host.QemuImg.RebaseUnsafeAsync(partial, ParentVolume(parent, v).ImagePath, "qcow2", "qcow2", ct);
            }
            else if (backup.Type == BackupType.Incremental)
            {
                var parentVolume = ParentVolume(parent, v);
                await CopyWritesSinceAsync(work, v.SnapshotSourcePath!, parentVolume.PrimaryDeltaPath, partial, ct);
                await work.Host.QemuImg.RebaseUnsafeAsync(partial, parentVolume.ImagePath, "qcow2", "qcow2", ct);
            }
            else
            {
                // Resumable: an attempt cut short may already have moved the staged copy, or renamed it too.
                var staged = RepositoryLayout.StagedImage(work.HostRecord.StagingDir, backup.Id, v.Target);
                if (await files.ExistsAsync(staged, ct)) await work.Host.Shell.RunAsync(["mv", "-f", "-T", "--", staged, partial], null, ct);
                else if (await files.ExistsAsync(partial, ct)) context.Journal($"{v.Target}: resuming with the copy an earlier attempt moved");
                else if (await files.ExistsAsync(v.ImagePath, ct)) written = v.ImagePath;
                else throw new InvalidOperationException($"the staged copy of {v.Target} ({staged}) is gone; take the backup again");
            }
            // The checksum reads the page cache while the flush writes it out: one CPU-bound, one
            // I/O-bound, so together they take about as long as the longer of the two.
            var flushed = files.FsyncAsync(written, ct);
            var checksum = files.ChecksumAsync(written, cancellationToken: ct);
            await Task.WhenAll(flushed, checksum);
            v.Checksum = (await checksum).ToString();
            v.StoredSize = await files.SizeAsync(written, ct);
            if (written == partial) await files.RenameAsync(partial, v.ImagePath, ct);
            await files.FsyncAsync(dir, ct);
            await catalog.SaveAsync(ct);
            done += v.VirtualSize;
            StoredBytes += v.StoredSize;
            context.ReportProgress(done, total, $"stored {v.Target}");
        }
        if (backup.DomainXml is not null)
        {
            var xmlPath = RepositoryLayout.DomainXml(work.Repository.Path, backup.VmName, backup.Id);
            await files.WriteTextAsync(xmlPath + RepositoryLayout.PartialSuffix, backup.DomainXml, ct);
            await files.RenameAsync(xmlPath + RepositoryLayout.PartialSuffix, xmlPath, ct);
        }
        await reservations.ReleaseAsync(backup.Id, ct);
        return ActivityResult.Done;
    }

    /// <summary>
    /// Writes into <paramref name="partial"/> one qcow2 holding every write since the parent backup: the
    /// frozen image alone when it is the parent's delta; otherwise that delta and the VM snapshot overlays
    /// taken on top of it, copied, chained and committed into the copy of the delta (a commit keeps
    /// zeroed clusters, which a flattening convert would drop).
    /// </summary>
    private static async Task CopyWritesSinceAsync(BackupContext work, string frozen, string? parentDelta, string partial, CancellationToken ct)
    {
        var chain = await work.Host.QemuImg.BackingChainAsync(frozen, forceShare: true, cancellationToken: ct);
        var segment = chain.Select(i => i.Filename).TakeWhile(f => f != parentDelta).ToList();
        if (segment.Count == chain.Count || segment.Count == 0)
        {
            await work.Host.Shell.RunAsync(["cp", "--sparse=always", "--", frozen, partial], null, ct);
            return;
        }
        segment.Add(parentDelta!);
        segment.Reverse(); // bottom (the parent's delta) first
        var copies = segment.Select((_, i) => i == 0 ? partial : $"{partial}.{i}").ToList();
        for (var i = 0; i < segment.Count; i++)
        {
            await work.Host.Shell.RunAsync(["cp", "--sparse=always", "--", segment[i], copies[i]], null, ct);
            if (i > 0) await work.Host.QemuImg.RebaseUnsafeAsync(copies[i], copies[i - 1], "qcow2", "qcow2", ct);
        }
        await work.Host.QemuImg.CommitAsync(copies[^1], partial, "qcow2", cancellationToken: ct);
        foreach (var copy in copies.Skip(1)) await work.Host.Files.DeleteFileAsync(copy, ct);
    }

    /// <summary>The parent backup's volume of <paramref name="v"/>'s disk, which an incremental's image rests on.</summary>
    private static BackupVolume ParentVolume(BackupRecord? parent, BackupVolume v) =>
        parent?.Volumes.FirstOrDefault(p => p.Target == v.Target)
        ?? throw new BackupInputException($"the parent backup has no volume {v.Target}");

    private static async Task<long> EstimateAsync(BackupContext work, CancellationToken ct)
    {
        long bytes = 0;
        if (work.Backup.UsesBackupJob) return 0; // already written by the job (a full's room was checked before it began)
        foreach (var v in work.Backup.Volumes)
        {
            var source = work.Backup.Type == BackupType.Incremental
                ? v.SnapshotSourcePath!
                : RepositoryLayout.StagedImage(work.HostRecord.StagingDir, work.Backup.Id, v.Target);
            bytes += await work.Host.Files.ExistsAsync(source, ct) ? await work.Host.Files.SizeAsync(source, ct) : 0;
        }
        return bytes;
    }
}
