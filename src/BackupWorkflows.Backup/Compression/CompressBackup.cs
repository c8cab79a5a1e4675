using System.Globalization;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Compression;

/// <summary>
/// Compresses a stored backup in place with <c>qemu-img convert -c</c>: each volume is written
/// to a <c>.compressing</c> file (an incremental onto its parent's image, so the chain stays
/// valid and restores never decompress), compared equal to the original, fsynced, renamed
/// <c>.compressed</c>, checksummed, recorded, and only then renamed over the original.
/// </summary>
/// <remarks>
/// <para>Idempotent: a <c>.compressing</c> file left by a crash is deleted and redone; a
/// <c>.compressed</c> one was verified and is just finished.</para>
/// <para>The engine owns its queueing and retries: while <c>compression.enabled</c> is false it
/// waits on a durable timer (re-read every <c>jobs.poll.interval.seconds</c>); it takes a slot of the
/// host's compression semaphore (<see cref="CompressionLimit"/>, read again while it waits) and
/// gives it back when the attempt ends; a failed attempt is retried durably by the engine
/// (<c>compression.max.retries</c>, <c>compression.retry.interval.minutes</c>, read at each attempt).</para>
/// </remarks>
[Activity("Backup.Compress", Category = "Backup", DisplayName = "Compress backup",
    Description = "qemu-img convert -c of each volume (zstd, else zlib), verified with qemu-img compare before it replaces the original.")]
[Retry(MaxAttempts = 1)]
public sealed class CompressBackup(BackupContextLoader loader, BackupCatalog catalog, BackupSettings settings,
    CompressionCapability capability, CompressionLimit limit) : Activity
{
    [Input(Description = "Id of the backup to compress.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Bytes stored before compression.")]
    public long BytesBefore { get; set; }

    [Output(Description = "Bytes stored after compression.")]
    public long BytesAfter { get; set; }

    [Output(Description = "zstd or zlib.")]
    public string Library { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var backup = work.Backup;
        if (backup.State != BackupState.BackedUp)
            throw new BackupInputException($"backup {backup.Id} is {backup.State}; only BackedUp backups are compressed");
        if (backup.Compressed) { context.Journal("already compressed"); BytesBefore = BytesAfter = backup.StoredSize; return ActivityResult.Done; }
        if (!await settings.GetBoolAsync(SettingCatalog.CompressionEnabled, ct))
        {
            context.Journal("compression.enabled is false: waiting");
            return ActivityResult.SuspendUntil(context.TimeProvider.GetUtcNow() + await settings.GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds, ct));
        }
        context.RetryDurably(await settings.GetIntAsync(SettingCatalog.CompressionMaxRetries, ct) + 1,
            await settings.GetDurationAsync(SettingCatalog.CompressionRetryIntervalMinutes, ct));
        var host = work.HostRecord.Name;
        await using var slot = await context.AcquireLockAsync(JobWorkflows.HostLock(JobType.Compression, host), c => limit.SlotsAsync(host, c));

        var files = work.Host.Files;
        var free = await files.FreeSpaceAsync(work.Repository.Path, ct);
        var factor = await settings.GetNumberAsync(SettingCatalog.CompressionMinFreeStorageFactor, ct);
        var needed = (long)(factor * backup.StoredSize);
        if (free < needed)
            throw new InvalidOperationException(
                $"repository '{work.Repository.Name}' has {free} bytes free; compressing needs {factor.ToString(CultureInfo.InvariantCulture)} × {backup.StoredSize} = {needed}");

        var (library, why) = await capability.ChooseAsync(work.Host, work.Offering.CompressionLibrary, ct);
        Library = library;
        context.Journal($"compressing with {library}: {why}");
        var coroutines = await settings.GetIntAsync(SettingCatalog.CompressionCoroutines, ct);
        var rateMBps = await settings.GetNumberAsync(SettingCatalog.CompressionRateLimitMBps, ct);
        var timeout = await settings.GetDurationAsync(SettingCatalog.CompressionTimeoutSeconds, ct);
        var parent = backup.ParentId is { } pid ? await catalog.GetAsync(pid, ct) : null;

        BytesBefore = backup.StoredSize;
        var total = backup.Volumes.Sum(v => v.VirtualSize);
        long done = 0;
        foreach (var v in backup.Volumes)
        {
            var writing = CompressionPaths.Writing(v.ImagePath);
            var verified = CompressionPaths.Verified(v.ImagePath);
            if (!await files.ExistsAsync(verified, ct))
            {
                await files.DeleteFileAsync(writing, ct);
                var parentImage = parent?.Volumes.FirstOrDefault(p => p.Target == v.Target)?.ImagePath;
                var start = done;
                await work.Host.QemuImg.ConvertAsync(v.ImagePath, writing, new ConvertOptions
                {
                    SourceFormat = "qcow2", TargetFormat = "qcow2", Compress = true, CompressionType = library,
                    Coroutines = coroutines, Timeout = timeout,
                    RateLimitBytesPerSecond = rateMBps > 0 ? (long)(rateMBps * 1024 * 1024) : null,
                    BackingFile = parentImage, BackingFormat = parentImage is null ? null : "qcow2",
                    OnProgress = p => context.ReportProgress(start + (long)(v.VirtualSize * p / 100), total, $"compressing {v.Target}"),
                }, ct);
                if (await work.Host.QemuImg.CompareAsync(v.ImagePath, writing, cancellationToken: ct) != ImageComparison.Identical)
                {
                    await files.DeleteFileAsync(writing, ct);
                    throw new InvalidOperationException($"the compressed copy of {v.Target} differs from the original; the original is kept");
                }
                await files.FsyncAsync(writing, ct);
                await files.RenameAsync(writing, verified, ct);
                await files.FsyncAsync(Path.GetDirectoryName(v.ImagePath)!, ct);
                context.Journal($"{v.Target}: compressed copy compared equal and synced");
            }
            // Record the new checksum before the rename: a crash in between finds the .compressed
            // file again and repeats these two steps, so record and file always end up agreeing.
            v.Checksum = (await files.ChecksumAsync(verified, cancellationToken: ct)).ToString();
            v.StoredSize = await files.SizeAsync(verified, ct);
            await catalog.SaveAsync(ct);
            await files.RenameAsync(verified, v.ImagePath, ct);
            await files.FsyncAsync(Path.GetDirectoryName(v.ImagePath)!, ct);
            done += v.VirtualSize;
            context.ReportProgress(done, total, $"compressed {v.Target}");
        }
        backup.StoredSize = backup.Volumes.Sum(v => v.StoredSize);
        backup.Compressed = true;
        await catalog.SaveAsync(ct);
        BytesAfter = backup.StoredSize;
        context.Journal($"{BytesBefore} → {BytesAfter} bytes ({library})");
        return ActivityResult.Done;
    }
}
