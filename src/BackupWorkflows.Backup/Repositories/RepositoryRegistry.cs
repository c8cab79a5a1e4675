using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Repositories;

/// <summary>The registered backup repositories: lookup for activities, listing, adding and removing for the API.</summary>
public sealed class RepositoryRegistry(BackupDbContext db, TimeProvider time)
{
    /// <summary>The registered repository.</summary>
    /// <exception cref="BackupInputException">The repository is not registered.</exception>
    public async Task<RepositoryRecord> RepositoryAsync(string name, CancellationToken ct = default) =>
        await db.Repositories.FirstOrDefaultAsync(r => r.Name == name, ct)
        ?? throw new BackupInputException($"repository '{name}' is not registered");

    /// <summary>Whether the repository is registered.</summary>
    public Task<bool> ExistsAsync(string name, CancellationToken ct = default) => db.Repositories.AnyAsync(r => r.Name == name, ct);

    /// <summary>Every repository by name, with the stored bytes of its backups that are not expunged.</summary>
    public async Task<IReadOnlyList<(RepositoryRecord Repository, long UsedBytes)>> ListAsync(CancellationToken ct = default)
    {
        var repos = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        var rows = await db.Backups.AsNoTracking().Where(b => b.State != BackupState.Expunged)
            .Select(b => new { b.RepositoryName, b.StoredSize }).ToListAsync(ct);
        var used = rows.GroupBy(r => r.RepositoryName).ToDictionary(g => g.Key, g => g.Sum(r => r.StoredSize));
        return repos.Select(r => (r, used.GetValueOrDefault(r.Name))).ToList();
    }

    /// <summary>Registers a repository at <paramref name="path"/> (trailing slashes dropped).</summary>
    /// <exception cref="DomainConflictException">A repository of that name exists.</exception>
    public async Task<RepositoryRecord> AddAsync(string name, string path, long? capacityBytes, CancellationToken ct = default)
    {
        if (await db.Repositories.AnyAsync(r => r.Name == name, ct))
            throw new DomainConflictException($"A repository named '{name}' exists.");
        var repo = new RepositoryRecord
        {
            Name = name, Path = path.TrimEnd('/') is { Length: > 0 } p ? p : "/",
            CapacityBytes = capacityBytes ?? 0, CreatedAt = time.GetUtcNow(),
        };
        db.Repositories.Add(repo);
        await db.SaveChangesAsync(ct);
        return repo;
    }

    /// <summary>Removes a repository no assignment uses and that holds no backups.</summary>
    /// <exception cref="DomainNotFoundException">No such repository.</exception>
    /// <exception cref="DomainConflictException">The repository is in use.</exception>
    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        var repo = await db.Repositories.FirstOrDefaultAsync(r => r.Name == name, ct)
            ?? throw new DomainNotFoundException($"No repository named '{name}'.");
        if (await db.Assignments.AnyAsync(a => a.RepositoryName == name, ct))
            throw new DomainConflictException($"Repository '{name}' is used by VM assignments; unassign those VMs first.");
        if (await db.Backups.AnyAsync(b => b.RepositoryName == name && b.State != BackupState.Expunged, ct))
            throw new DomainConflictException($"Repository '{name}' still holds backups; delete them first.");
        db.Repositories.Remove(repo);
        await db.SaveChangesAsync(ct);
    }
}
