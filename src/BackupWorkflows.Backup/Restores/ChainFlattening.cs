using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Backup.Restores;

/// <summary>Writes a backup chain out as one standalone qcow2 image, durably and atomically.</summary>
public static class ChainFlattening
{
    /// <summary>
    /// Converts the chain ending in <paramref name="image"/> into <paramref name="target"/>: written
    /// under a <c>.partial</c> name, fsynced, then renamed over the target, so a crash leaves the old
    /// target or the new one, never half of one. Progress is reported from <paramref name="doneBefore"/>
    /// towards <paramref name="total"/> bytes.
    /// </summary>
    public static async Task WriteAsync(HostSession host, ActivityContext context, string image, string target,
        long virtualSize, long doneBefore, long total, string label)
    {
        var partial = await WritePartialAsync(host, context, image, target, virtualSize, doneBefore, total, label);
        await host.Files.RenameAsync(partial, target, context.CancellationToken);
    }

    /// <summary>The first half of <see cref="WriteAsync"/>: the durable copy beside <paramref name="target"/>,
    /// whose path it returns; the target itself is not touched until the caller renames the copy over it.</summary>
    public static async Task<string> WritePartialAsync(HostSession host, ActivityContext context, string image, string target,
        long virtualSize, long doneBefore, long total, string label)
    {
        var ct = context.CancellationToken;
        var partial = target + RepositoryLayout.PartialSuffix;
        // O_DIRECT (cache none) with out-of-order writes: the copy goes to disk as it is written, so the
        // fsync has only metadata left, and a hypervisor's page cache is not flooded with an image the
        // VM will read only in part. Holes left by out-of-order writes cannot matter: the partial name
        // is renamed only once the copy is complete. File systems without O_DIRECT get a buffered copy.
        Task Convert(bool direct) => host.QemuImg.ConvertAsync(image, partial, new ConvertOptions
        {
            SourceFormat = "qcow2", TargetFormat = "qcow2", ForceShare = true, OutOfOrderWrites = true,
            TargetCacheMode = direct ? "none" : null,
            OnProgress = p => context.ReportProgress(doneBefore + (long)(virtualSize * p / 100), total, label),
        }, ct);
        try
        {
            await Convert(direct: true);
        }
        catch (HostCommandException e) when (e.Message.Contains("does not support O_DIRECT", StringComparison.Ordinal))
        {
            context.Journal($"the file system of {target} does not support O_DIRECT; copying through the page cache");
            await Convert(direct: false);
        }
        await host.Files.FsyncAsync(partial, ct);
        return partial;
    }
}
