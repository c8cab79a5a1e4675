using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Hosts;

namespace BackupWorkflows.Backup.Bitmaps;

/// <summary>
/// The libvirt checkpoints of the bitmap strategy: their names, what the host reports about them, and
/// retiring the ones no backup needs any more.
/// </summary>
/// <remarks>
/// A VM keeps at most one checkpoint of ours, the one its latest backup created: every bitmap in a
/// qcow2 costs a write-tracking pass on every guest write, and a checkpoint left behind by a strategy
/// switch or an ended chain would keep recording forever.
/// </remarks>
public static class BitmapTracking
{
    /// <summary>Prefix of the checkpoints (and so the bitmaps) this product creates.</summary>
    public const string Prefix = "bwf-";

    /// <summary>The checkpoint a backup creates.</summary>
    public static string CheckpointOf(Guid backupId) => Prefix + backupId.ToString("D");

    /// <summary>What the chain rules need to judge a bitmap incremental.</summary>
    public static async Task<BitmapFacts> FactsAsync(HostSession host, string vm, bool running, IReadOnlyList<string> rawDisks, CancellationToken ct)
    {
        var checkpoints = await host.Virsh.ListCheckpointNamesAsync(vm, ct);
        var bitmaps = running ? await host.Virsh.QueryDirtyBitmapsAsync(vm, ct) : [];
        return new BitmapFacts(running, checkpoints, bitmaps, rawDisks);
    }

    /// <summary>Deletes every checkpoint of ours except <paramref name="keep"/> (with its bitmaps).</summary>
    /// <returns>The deleted checkpoints' names.</returns>
    public static async Task<IReadOnlyList<string>> RetireAsync(HostSession host, string vm, string? keep, CancellationToken ct)
    {
        var retired = new List<string>();
        foreach (var name in await host.Virsh.ListCheckpointNamesAsync(vm, ct))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name == keep) continue;
            await host.Virsh.DeleteCheckpointAsync(vm, name, ct);
            retired.Add(name);
        }
        return retired;
    }
}
