using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Validation;

/// <summary>Checksum level: each image's checksum (by the algorithm recorded with it) now equals the one recorded when it was stored
/// (or compressed), for the backup and every ancestor it needs.</summary>
public static class ChecksumCheck
{
    /// <summary>Runs the level.</summary>
    public static async Task<LevelOutcome> RunAsync(BackupContext work, IReadOnlyList<BackupRecord> chain, CancellationToken ct)
    {
        var count = 0;
        foreach (var b in chain)
            foreach (var v in b.Volumes)
            {
                if (v.Checksum is null) return LevelOutcome.Invalid($"no checksum was recorded for {v.ImagePath}");
                if (!await work.Host.Files.ExistsAsync(v.ImagePath, ct))
                    return LevelOutcome.Invalid($"image {v.ImagePath} of backup {b.Id} is missing");
                var recorded = FileChecksum.Parse(v.Checksum);
                var now = await work.Host.Files.ChecksumAsync(v.ImagePath, recorded.Algorithm, cancellationToken: ct);
                if (now != recorded)
                    return LevelOutcome.Invalid($"checksum of {v.ImagePath} is {now}, {recorded} was recorded");
                count++;
            }
        return LevelOutcome.Valid($"{count} checksum(s) match");
    }
}
