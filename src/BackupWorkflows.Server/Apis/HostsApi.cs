using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Apis;

/// <summary>Hypervisor hosts: listed by viewers, added and removed by admins.</summary>
public static class HostsApi
{
    /// <summary>Staging directory of an ssh host when none is given.</summary>
    public const string DefaultRemoteStagingDir = "/var/tmp/bwf-staging";

    /// <summary>Maps <c>/api/hosts</c>.</summary>
    public static IEndpointRouteBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/hosts").WithTags("Hosts").RequireAuthorization(Roles.Viewer);
        hosts.MapGet("/", ListAsync).WithName("ListHosts").WithSummary("Every host with its staging use.");
        hosts.MapPost("/", AddAsync).WithName("AddHost").WithSummary("Adds a host (local or ssh://user@host[:port]).")
            .RequireAuthorization(Roles.Admin);
        hosts.MapDelete("/{name}", RemoveAsync).WithName("RemoveHost").WithSummary("Removes a host that has no assigned VMs.")
            .RequireAuthorization(Roles.Admin);
        return app;
    }

    private static async Task<IResult> ListAsync(BackupDbContext db, CancellationToken ct)
    {
        var hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(ct);
        var staged = await db.StagingReservations.AsNoTracking()
            .GroupBy(r => r.HostName).Select(g => new { g.Key, Bytes = g.Sum(r => r.Bytes) }).ToDictionaryAsync(g => g.Key, g => g.Bytes, ct);
        return TypedResults.Ok(hosts.Select(h => ToDto(h, staged.GetValueOrDefault(h.Name))));
    }

    private static async Task<IResult> AddAsync(AddHostRequest request, BackupDbContext db, Hosting.ServerConfiguration config,
        TimeProvider time, CancellationToken ct)
    {
        var rules = new InputRules().Name("name", request.Name)
            .KeyFile("identityFile", request.IdentityFile)
            .KeyFile("knownHostsFile", request.KnownHostsFile)
            .Directory("stagingDir", request.StagingDir, required: false)
            .Range("maxConcurrentBackups", request.MaxConcurrentBackups, 1, 100)
            .Range("maxConcurrentCompressions", request.MaxConcurrentCompressions, -1, 100)
            .Range("stagingCapacityBytes", request.StagingCapacityBytes, 0, long.MaxValue);
        var isLocal = string.Equals(request.Uri, "local", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(request.Uri)) rules.Add("uri", "is required: 'local' or 'ssh://user@host[:port]'.");
        else if (!isLocal)
        {
            try { HostShellFactory.ParseSsh(request.Uri); }
            catch (FormatException e) { rules.Add("uri", e.Message); }
        }
        rules.ThrowIfAny();
        if (await db.Hosts.AnyAsync(h => h.Name == request.Name, ct))
            throw new ConflictException($"A host named '{request.Name}' exists.");

        var host = new HostRecord
        {
            Name = request.Name!,
            Uri = isLocal ? "local" : request.Uri!,
            IdentityFile = request.IdentityFile,
            KnownHostsFile = request.KnownHostsFile,
            StagingDir = request.StagingDir ?? (isLocal ? Path.Combine(config.DataDirectory, "staging") : DefaultRemoteStagingDir),
            MaxConcurrentBackups = request.MaxConcurrentBackups ?? 2,
            MaxConcurrentCompressions = request.MaxConcurrentCompressions ?? 5,
            StagingCapacityBytes = request.StagingCapacityBytes ?? 0,
            CreatedAt = time.GetUtcNow(),
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/hosts/{host.Name}", ToDto(host, 0));
    }

    private static async Task<IResult> RemoveAsync(string name, BackupDbContext db, CancellationToken ct)
    {
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct) ?? throw new NotFoundException($"No host named '{name}'.");
        var assigned = await db.Assignments.Where(a => a.HostName == name).Select(a => a.VmName).ToListAsync(ct);
        if (assigned.Count > 0)
            throw new ConflictException($"Host '{name}' has assigned VMs ({string.Join(", ", assigned)}); unassign them first.");
        db.Hosts.Remove(host);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static HostDto ToDto(HostRecord h, long stagedBytes) => new(h.Name, h.Uri, h.IdentityFile, h.KnownHostsFile,
        h.StagingDir, h.MaxConcurrentBackups, h.MaxConcurrentCompressions, h.StagingCapacityBytes > 0 ? h.StagingCapacityBytes : null, stagedBytes);
}

/// <summary>A host as the API shows it. <paramref name="StagingCapacityBytes"/> is null when only the file
/// system's free space bounds staging.</summary>
public sealed record HostDto(string Name, string Uri, string? IdentityFile, string? KnownHostsFile, string StagingDir,
    int MaxConcurrentBackups, int MaxConcurrentCompressions, long? StagingCapacityBytes, long? StagingUsedBytes);

/// <summary>Body of POST /api/hosts. <paramref name="MaxConcurrentCompressions"/>: -1 = no limit of its own
/// (the global setting <c>compression.max.concurrent.per.host</c> still caps it).</summary>
public sealed record AddHostRequest(string? Name, string? Uri, string? IdentityFile, string? KnownHostsFile,
    string? StagingDir, int? MaxConcurrentBackups, int? MaxConcurrentCompressions = null, long? StagingCapacityBytes = null);
