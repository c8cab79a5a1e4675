using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Image and chain level: every image of the backup and of its ancestors exists and passes
/// <c>qemu-img check</c>, and <c>qemu-img info --backing-chain</c> of each volume resolves,
/// through files inside the repository only, to the chain the catalog records.
/// </summary>
public static class ImageChainCheck
{
    /// <summary>Runs the level; the repository must be reachable (checked by the caller).</summary>
    public static async Task<LevelOutcome> RunAsync(BackupContext work, IReadOnlyList<BackupRecord> chain, CancellationToken ct)
    {
        var host = work.Host;
        foreach (var b in chain)
            foreach (var v in b.Volumes)
            {
                if (!await host.Files.ExistsAsync(v.ImagePath, ct))
                    return LevelOutcome.Invalid($"image {v.ImagePath} of backup {b.Id} ({v.Target}) is missing");
                try
                {
                    var check = await host.QemuImg.CheckAsync(v.ImagePath, "qcow2", forceShare: true, cancellationToken: ct);
                    if (!check.IsHealthy)
                        return LevelOutcome.Invalid($"qemu-img check of {v.ImagePath}: {check.Corruptions} corruptions, {check.CheckErrors} errors");
                }
                catch (HostCommandException e)
                {
                    return LevelOutcome.Invalid($"qemu-img check of {v.ImagePath} failed: {FirstLine(e.Message)}");
                }
            }
        var repo = work.Repository.Path.TrimEnd('/') + "/";
        foreach (var v in work.Backup.Volumes)
        {
            IReadOnlyList<Kvm.Images.ImageInfo> images;
            try { images = await host.QemuImg.BackingChainAsync(v.ImagePath, forceShare: true, cancellationToken: ct); }
            catch (HostCommandException e)
            {
                return LevelOutcome.Invalid($"the backing chain of {v.Target} does not resolve: {FirstLine(e.Message)}");
            }
            var outside = images.FirstOrDefault(i => !i.Filename.StartsWith(repo, StringComparison.Ordinal));
            if (outside is not null)
                return LevelOutcome.Invalid($"the chain of {v.Target} leaves the repository: {outside.Filename}");
            var expected = chain.Select(b => b.Volumes.FirstOrDefault(x => x.Target == v.Target)?.ImagePath).ToList();
            var actual = images.Select(i => i.Filename).ToList();
            if (!expected.SequenceEqual(actual))
                return LevelOutcome.Invalid($"the chain of {v.Target} is {string.Join(" → ", actual)}, the catalog says {string.Join(" → ", expected)}");
        }
        return LevelOutcome.Valid($"{chain.Sum(b => b.Volumes.Count)} image(s) checked; chain of {chain.Count} backup(s) resolves inside the repository");
    }

    private static string FirstLine(string s) => s.Split('\n')[0];
}
