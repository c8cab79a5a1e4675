using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>Reads and changes VM snapshot records.</summary>
public sealed class SnapshotCatalog(BackupDbContext db, TimeProvider time)
{
    /// <summary>The snapshot with its disks.</summary>
    /// <exception cref="DomainNotFoundException">No such snapshot.</exception>
    public async Task<VmSnapshot> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Snapshots.Include(s => s.Disks).FirstOrDefaultAsync(s => s.Id == id, ct)
        ?? throw new DomainNotFoundException($"No snapshot with id {id}.");

    /// <summary>The VM's snapshots, oldest first (every state).</summary>
    public async Task<List<VmSnapshot>> ListForVmAsync(string host, string vm, CancellationToken ct = default)
    {
        var list = await db.Snapshots.Include(s => s.Disks).Where(s => s.HostName == host && s.VmName == vm).ToListAsync(ct);
        return [.. list.OrderBy(s => s.CreatedAt)];
    }

    /// <summary>Snapshots of a VM on any host, newest first.</summary>
    public async Task<List<VmSnapshot>> ListAsync(string vm, CancellationToken ct = default)
    {
        var list = await db.Snapshots.AsNoTracking().Include(s => s.Disks).Where(s => s.VmName == vm).ToListAsync(ct);
        return [.. list.OrderByDescending(s => s.CreatedAt)];
    }

    /// <summary>Registers a snapshot in state Creating.</summary>
    public async Task<VmSnapshot> CreateAsync(VmSnapshot snapshot, CancellationToken ct = default)
    {
        snapshot.State = SnapshotState.Creating;
        snapshot.CreatedAt = time.GetUtcNow();
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        return snapshot;
    }

    /// <summary>Every snapshot of the VM whose image was <paramref name="from"/> now has <paramref name="to"/>
    /// (the image was committed into its backing file, which now holds the same data).</summary>
    public async Task RepointAsync(string host, string vm, string from, string to, CancellationToken ct = default)
    {
        foreach (var disk in (await ListForVmAsync(host, vm, ct)).SelectMany(s => s.Disks).Where(d => d.ImagePath == from))
            disk.ImagePath = to;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Marks the VM's Ready and Removed snapshots that cover one of <paramref name="targets"/> Stale, with the reason.</summary>
    /// <returns>The names of the snapshots marked.</returns>
    public async Task<List<string>> MarkStaleAsync(string host, string vm, IReadOnlyCollection<string> targets, string reason, CancellationToken ct = default)
    {
        var marked = new List<string>();
        foreach (var s in await ListForVmAsync(host, vm, ct))
            if (s.State is SnapshotState.Ready or SnapshotState.Removed && s.Disks.Any(d => targets.Contains(d.Target)))
            {
                s.State = SnapshotState.Stale;
                s.Error = reason;
                marked.Add(s.Name);
            }
        await db.SaveChangesAsync(ct);
        return marked;
    }

    /// <summary>Saves changes made to tracked records.</summary>
    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}
