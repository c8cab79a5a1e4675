using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Offerings;

/// <summary>The offerings (backup policies): lookup for activities, listing, creating and deleting for the API.</summary>
public sealed class OfferingRegistry(BackupDbContext db, TimeProvider time)
{
    /// <summary>The compression libraries an offering may name.</summary>
    public static IReadOnlyList<string> CompressionLibraries { get; } = ["zstd", "zlib"];

    /// <summary>The offering.</summary>
    /// <exception cref="BackupInputException">No such offering.</exception>
    public async Task<Offering> OfferingAsync(string name, CancellationToken ct = default) =>
        await db.Offerings.FirstOrDefaultAsync(o => o.Name == name, ct)
        ?? throw new BackupInputException($"offering '{name}' does not exist");

    /// <summary>Whether the offering exists.</summary>
    public Task<bool> ExistsAsync(string name, CancellationToken ct = default) => db.Offerings.AnyAsync(o => o.Name == name, ct);

    /// <summary>Every offering by name.</summary>
    public async Task<IReadOnlyList<Offering>> ListAsync(CancellationToken ct = default) =>
        await db.Offerings.AsNoTracking().OrderBy(o => o.Name).ToListAsync(ct);

    /// <summary>Creates an offering; the caller has set every field but <see cref="Offering.CreatedAt"/>.</summary>
    /// <exception cref="DomainConflictException">An offering of that name exists.</exception>
    public async Task<Offering> CreateAsync(Offering offering, CancellationToken ct = default)
    {
        if (await db.Offerings.AnyAsync(o => o.Name == offering.Name, ct))
            throw new DomainConflictException($"An offering named '{offering.Name}' exists.");
        offering.CreatedAt = time.GetUtcNow();
        db.Offerings.Add(offering);
        await db.SaveChangesAsync(ct);
        return offering;
    }

    /// <summary>Deletes an offering no VM is assigned to and no schedule covers.</summary>
    /// <exception cref="DomainNotFoundException">No such offering.</exception>
    /// <exception cref="DomainConflictException">The offering is in use.</exception>
    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        var offering = await db.Offerings.FirstOrDefaultAsync(o => o.Name == name, ct)
            ?? throw new DomainNotFoundException($"No offering named '{name}'.");
        if (await db.Assignments.AnyAsync(a => a.OfferingName == name, ct))
            throw new DomainConflictException($"Offering '{name}' is assigned to VMs; unassign them first.");
        if (await db.Schedules.AnyAsync(s => s.OfferingName == name, ct))
            throw new DomainConflictException($"Offering '{name}' has schedules; delete them first.");
        db.Offerings.Remove(offering);
        await db.SaveChangesAsync(ct);
    }
}
