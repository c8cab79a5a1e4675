using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Hosts;

/// <summary>The registered hypervisor hosts: lookup for activities, listing, adding and removing for the API.</summary>
public sealed class HostRegistry(BackupDbContext db, TimeProvider time)
{
    /// <summary>Staging directory of an ssh host when none is given.</summary>
    public const string DefaultRemoteStagingDir = "/var/tmp/bwf-staging";

    /// <summary>The registered host.</summary>
    /// <exception cref="BackupInputException">The host is not registered.</exception>
    public async Task<HostRecord> HostAsync(string name, CancellationToken ct = default) =>
        await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct)
        ?? throw new BackupInputException($"host '{name}' is not registered");

    /// <summary>The host, or null when none has that name. Read-only.</summary>
    public Task<HostRecord?> FindAsync(string name, CancellationToken ct = default) =>
        db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);

    /// <summary>Every host by name, with the bytes staging reservations hold on it.</summary>
    public async Task<IReadOnlyList<(HostRecord Host, long StagedBytes)>> ListAsync(CancellationToken ct = default)
    {
        var hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(ct);
        var staged = await db.StagingReservations.AsNoTracking()
            .GroupBy(r => r.HostName).Select(g => new { g.Key, Bytes = g.Sum(r => r.Bytes) }).ToDictionaryAsync(g => g.Key, g => g.Bytes, ct);
        return hosts.Select(h => (h, staged.GetValueOrDefault(h.Name))).ToList();
    }

    /// <summary>Registers a host; omitted limits take their defaults (2 backups, 5 compressions, no staging cap),
    /// an omitted staging directory is <paramref name="localStagingDir"/> for <c>local</c>, else <see cref="DefaultRemoteStagingDir"/>.</summary>
    /// <exception cref="DomainConflictException">A host of that name exists.</exception>
    public async Task<HostRecord> AddAsync(NewHost request, string localStagingDir, CancellationToken ct = default)
    {
        if (await db.Hosts.AnyAsync(h => h.Name == request.Name, ct))
            throw new DomainConflictException($"A host named '{request.Name}' exists.");
        var isLocal = string.Equals(request.Uri, "local", StringComparison.OrdinalIgnoreCase);
        var host = new HostRecord
        {
            Name = request.Name,
            Uri = isLocal ? "local" : request.Uri,
            IdentityFile = request.IdentityFile,
            KnownHostsFile = request.KnownHostsFile,
            HostKeyFingerprint = request.HostKeyFingerprint,
            IdentityPassphraseFile = request.IdentityPassphraseFile,
            StagingDir = request.StagingDir ?? (isLocal ? localStagingDir : DefaultRemoteStagingDir),
            MaxConcurrentBackups = request.MaxConcurrentBackups ?? 2,
            MaxConcurrentCompressions = request.MaxConcurrentCompressions ?? 5,
            StagingCapacityBytes = request.StagingCapacityBytes ?? 0,
            CreatedAt = time.GetUtcNow(),
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(ct);
        return host;
    }

    /// <summary>Removes a host no VM is assigned on.</summary>
    /// <exception cref="DomainNotFoundException">No such host.</exception>
    /// <exception cref="DomainConflictException">VMs are assigned on the host.</exception>
    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct) ?? throw new DomainNotFoundException($"No host named '{name}'.");
        var assigned = await db.Assignments.Where(a => a.HostName == name).Select(a => a.VmName).ToListAsync(ct);
        if (assigned.Count > 0)
            throw new DomainConflictException($"Host '{name}' has assigned VMs ({string.Join(", ", assigned)}); unassign them first.");
        db.Hosts.Remove(host);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A host to register; null fields take their defaults.</summary>
public sealed record NewHost(string Name, string Uri, string? IdentityFile = null, string? KnownHostsFile = null,
    string? StagingDir = null, int? MaxConcurrentBackups = null, int? MaxConcurrentCompressions = null, long? StagingCapacityBytes = null,
    string? HostKeyFingerprint = null, string? IdentityPassphraseFile = null);
