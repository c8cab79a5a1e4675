using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using BackupWorkflows.Server.Snapshots;
using BackupWorkflows.Server.Validation;

namespace BackupWorkflows.Server.Apis;

/// <summary>Disk-only VM snapshots: listed by viewers; taken, reverted to and deleted by operators.</summary>
public static class SnapshotsApi
{
    /// <summary>Maps <c>/api/snapshots</c>.</summary>
    public static IEndpointRouteBuilder MapSnapshotsApi(this IEndpointRouteBuilder app)
    {
        var snapshots = app.MapGroup("/snapshots").WithTags("Snapshots").RequireAuthorization(Roles.Viewer);
        snapshots.MapGet("/", async (string? vm, SnapshotOperations ops, CancellationToken ct) =>
            {
                new InputRules().VmName("vm", vm).ThrowIfAny();
                return TypedResults.Ok((await ops.ListAsync(vm!, ct)).Select(SnapshotDto.From));
            })
            .WithName("ListSnapshots").WithSummary("The snapshots of one VM (?vm=NAME), newest first.");
        snapshots.MapGet("/{id:guid}", async (Guid id, SnapshotOperations ops, CancellationToken ct) =>
                TypedResults.Ok(SnapshotDto.From(await ops.GetAsync(id, ct))))
            .WithName("GetSnapshot").WithSummary("One snapshot with its disks.");
        snapshots.MapPost("/", CreateAsync).WithName("CreateSnapshot")
            .WithSummary("Starts the snapshot-create workflow (all disks or the named ones).").RequireAuthorization(Roles.Operator);
        snapshots.MapPost("/{id:guid}/revert", async (Guid id, SnapshotOperations ops, HttpContext http, CancellationToken ct) =>
                Started(await ops.RevertAsync(id, BackupsApi.IdempotencyKey(http), ct)))
            .WithName("RevertSnapshot").WithSummary("Starts the snapshot-revert workflow; the VM must be stopped.")
            .RequireAuthorization(Roles.Operator);
        snapshots.MapDelete("/{id:guid}", async (Guid id, SnapshotOperations ops, HttpContext http, CancellationToken ct) =>
                Started(await ops.DeleteAsync(id, BackupsApi.IdempotencyKey(http), ct)))
            .WithName("DeleteSnapshot").WithSummary("Starts the snapshot-delete workflow (merged away, or Removed while other images need it).")
            .RequireAuthorization(Roles.Operator);
        return app;
    }

    private static async Task<Accepted<InstanceStarted>> CreateAsync(CreateSnapshotRequest request, SnapshotOperations ops, HttpContext http, CancellationToken ct)
    {
        var rules = new InputRules().VmName("vm", request.Vm);
        if (request.Host is not null) rules.Name("host", request.Host);
        if (request.Name is not null) rules.Name("name", request.Name);
        foreach (var disk in request.Disks ?? []) rules.DiskTarget("disks", disk);
        rules.ThrowIfAny();
        var instance = await ops.CreateAsync(request.Vm!, request.Host, request.Name, [.. (request.Disks ?? []).Distinct()],
            request.Quiesce == true, BackupsApi.IdempotencyKey(http), ct);
        return Started(instance);
    }

    private static Accepted<InstanceStarted> Started(string instance) => TypedResults.Accepted($"/api/instances/{instance}", new InstanceStarted(instance));
}

/// <summary>Body of POST /api/snapshots; <c>host</c> is needed only when the VM's name exists on several hosts.</summary>
public sealed record CreateSnapshotRequest(string? Vm, string? Host, string? Name, IReadOnlyList<string>? Disks, bool? Quiesce);

/// <summary>One disk of a snapshot: the image it froze and the overlay taken on top of it.</summary>
public sealed record SnapshotDiskDto(string Target, string Image, string Overlay);

/// <summary>A VM snapshot as the API shows it.</summary>
public sealed record SnapshotDto(Guid Id, string Vm, string Host, string Name, SnapshotState State, DateTimeOffset CreatedAt,
    bool Quiesced, bool VmWasRunning, string? Error, IReadOnlyList<SnapshotDiskDto> Disks)
{
    /// <summary>Maps a record.</summary>
    public static SnapshotDto From(VmSnapshot s) => new(s.Id, s.VmName, s.HostName, s.Name, s.State, s.CreatedAt, s.Quiesced,
        s.VmWasRunning, s.Error, [.. s.Disks.OrderBy(d => d.Target, StringComparer.Ordinal).Select(d => new SnapshotDiskDto(d.Target, d.ImagePath, d.OverlayPath))]);
}
