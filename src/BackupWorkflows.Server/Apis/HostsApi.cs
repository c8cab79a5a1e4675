using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Hypervisor hosts: listed by viewers, added and removed by admins.</summary>
public static class HostsApi
{
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

    private static async Task<Ok<IEnumerable<HostDto>>> ListAsync(HostRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(ct)).Select(h => ToDto(h.Host, h.StagedBytes)));

    private static async Task<Created<HostDto>> AddAsync(AddHostRequest request, HostRegistry registry, Hosting.ServerConfiguration config,
        CancellationToken ct)
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
        var host = await registry.AddAsync(new NewHost(request.Name!, request.Uri!, request.IdentityFile, request.KnownHostsFile,
            request.StagingDir, request.MaxConcurrentBackups, request.MaxConcurrentCompressions, request.StagingCapacityBytes),
            Path.Combine(config.DataDirectory, "staging"), ct);
        return TypedResults.Created($"/api/hosts/{host.Name}", ToDto(host, 0));
    }

    private static async Task<NoContent> RemoveAsync(string name, HostRegistry registry, CancellationToken ct)
    {
        await registry.RemoveAsync(name, ct);
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
