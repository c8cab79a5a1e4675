using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using BackupWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Backups: listed by viewers; created, validated and deleted by operators.</summary>
public static class BackupsApi
{
    /// <summary>Maps <c>/api/backups</c>.</summary>
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var backups = app.MapGroup("/backups").WithTags("Backups").RequireAuthorization(Roles.Viewer);
        backups.MapGet("/", async (string? vm, BackupCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok((await catalog.ListAsync(vm, ct)).Select(BackupDto.From)))
            .WithName("ListBackups").WithSummary("Backups, newest first, optionally of one VM.");
        backups.MapGet("/{id:guid}", async (Guid id, BackupCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(BackupDto.From(await catalog.ShowAsync(id, ct))))
            .WithName("GetBackup").WithSummary("One backup with its volumes.");
        backups.MapGet("/{id:guid}/screenshot", ScreenshotAsync)
            .WithName("GetBackupScreenshot").WithSummary("The screen of the guest booted by the latest validation (PNG).")
            .Produces<Stream>(StatusCodes.Status200OK, "image/png");
        backups.MapPost("/", CreateAsync).WithName("CreateBackup")
            .WithSummary("Starts the backup workflow of the VM's offering (backup unless the offering names another).").RequireAuthorization(Roles.Operator);
        backups.MapPost("/{id:guid}/validate", ValidateAsync).WithName("ValidateBackup")
            .WithSummary("Starts the validation workflow for a backup.").RequireAuthorization(Roles.Operator);
        backups.MapDelete("/{id:guid}", async (Guid id, WorkflowLauncher launcher, HttpContext http, CancellationToken ct) =>
            {
                var instance = await launcher.DeleteBackupAsync(id, IdempotencyKey(http), ct);
                return TypedResults.Accepted($"/api/instances/{instance}", new InstanceStarted(instance));
            })
            .WithName("DeleteBackup").WithSummary("Starts the chain-safe delete of a backup (delete-backup workflow).")
            .RequireAuthorization(Roles.Operator);
        return app;
    }

    private static async Task<Accepted<InstanceStarted>> CreateAsync(CreateBackupRequest request, VmAssignments vmAssignments, WorkflowLauncher launcher,
        EntryWorkflows entries, HttpContext http, CancellationToken ct)
    {
        var rules = new InputRules().VmName("vm", request.Vm);
        if (request.Full == true && request.Isolated == true) rules.Add("isolated", "cannot be combined with full.");
        rules.ThrowIfAny();
        var assignments = (await vmAssignments.CoveredAsync(request.Vm, null, ct)).ToList();
        if (request.Host is not null) assignments = [.. assignments.Where(a => a.HostName == request.Host)];
        if (assignments.Count == 0)
            throw new ConflictException($"VM '{request.Vm}' is not assigned to an offering; assign it first (bwf vm assign {request.Vm} --offering NAME --repo NAME).");
        if (assignments.Count > 1) throw new InputException("host", $"VM '{request.Vm}' is assigned on several hosts; say which.");
        var type = request.Isolated == true ? "isolated" : request.Full == true ? "full" : "auto";
        var input = new JsonObject { ["host"] = assignments[0].HostName, ["vm"] = request.Vm, ["type"] = type };
        var workflow = await entries.BackupAsync(assignments[0].HostName, request.Vm!, ct);
        var id = await launcher.StartAsync(workflow, input, IdempotencyKey(http), ct: ct);
        return TypedResults.Accepted($"/api/instances/{id}", new InstanceStarted(id));
    }

    private static async Task<Accepted<InstanceStarted>> ValidateAsync(Guid id, BackupCatalog catalog, WorkflowLauncher launcher, HttpContext http, CancellationToken ct)
    {
        var backup = await catalog.ShowAsync(id, ct);
        if (backup.State != BackupState.BackedUp) throw new ConflictException($"Backup {id} is {backup.State}; only BackedUp backups can be validated.");
        var instance = await launcher.StartAsync(WorkflowLauncher.Validate, new JsonObject { ["backupId"] = id.ToString(), ["host"] = backup.HostName }, IdempotencyKey(http), ct: ct);
        return TypedResults.Accepted($"/api/instances/{instance}", new InstanceStarted(instance));
    }

    private static async Task<IResult> ScreenshotAsync(Guid id, BackupCatalog catalog, HostRegistry hosts,
        BackupWorkflows.Backup.Validation.ValidationQueries validations, CancellationToken ct)
    {
        var backup = await catalog.ShowAsync(id, ct);
        // The boot test stores its screenshot with the validation record: served from any node.
        if (await validations.LatestScreenshotAsync(id, ct) is { } png) return TypedResults.File(png, "image/png");
        var host = await hosts.FindAsync(backup.HostName, ct);
        // Validation leaves validation.png in the backup's directory; readable here only when the repository is local.
        var dir = backup.Volumes.Select(v => Path.GetDirectoryName(v.ImagePath)).FirstOrDefault();
        var file = dir is null ? null : Path.Combine(dir, "validation.png");
        if (host?.Uri != "local" || file is null || !File.Exists(file))
            throw new NotFoundException($"Backup {id} has no validation screenshot on this server.");
        return TypedResults.PhysicalFile(file, "image/png");
    }

    /// <summary>The request's <c>Idempotency-Key</c> header, checked.</summary>
    internal static string? IdempotencyKey(HttpContext http)
    {
        string? key = http.Request.Headers["Idempotency-Key"];
        if (key is null) return null;
        if (key.Length is 0 or > 200 || key.Any(char.IsControl))
            throw new InputException("Idempotency-Key", "must be 1-200 printable characters.");
        return key;
    }
}

/// <summary>Body of POST /api/backups.</summary>
public sealed record CreateBackupRequest(string? Vm, bool? Full, bool? Isolated, string? Host);

/// <summary>A started workflow instance.</summary>
public sealed record InstanceStarted(string InstanceId);

/// <summary>Validation of a backup.</summary>
public sealed record ValidationDto(string Result, DateTimeOffset? At, string? ScreenshotUrl);

/// <summary>A volume of a backup.</summary>
public sealed record VolumeDto(string Target, string Path, long VirtualSize, long StoredSize, string? Checksum);

/// <summary>A backup as the API shows it; <c>strategy</c> is the offering's when it was taken (delta or bitmap),
/// <c>typeReason</c> why it is full or incremental (a full taken instead of an incremental says why).</summary>
public sealed record BackupDto(Guid Id, string Vm, string Host, string Repository, string Type, Guid? ParentId, Guid? ChainId,
    BackupState State, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, long VirtualSize, long StoredSize, bool Quiesced,
    bool Compressed, string? Error, ValidationDto? Validation, IReadOnlyList<VolumeDto> Volumes, string Strategy, string? TypeReason)
{
    /// <summary>Maps a record.</summary>
    public static BackupDto From(BackupRecord b) => new(b.Id, b.VmName, b.HostName, b.RepositoryName,
        b.Type.ToString().ToLowerInvariant(), b.ParentId, b.ChainId, b.State, b.CreatedAt, b.CompletedAt, b.VirtualSize,
        b.StoredSize, b.Quiesced, b.Compressed, b.Error,
        b.ValidationResult is null ? null : new ValidationDto(b.ValidationResult, b.ValidatedAt, $"/api/backups/{b.Id}/screenshot"),
        [.. b.Volumes.OrderBy(v => v.Target, StringComparer.Ordinal).Select(v => new VolumeDto(v.Target, v.ImagePath, v.VirtualSize, v.StoredSize, v.Checksum))],
        BackupStrategies.NameOf(b.Strategy), b.TypeReason);
}
