using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using BackupWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Restores (operators): start the restore or quick-restore workflow of the backup's offering.</summary>
public static class RestoresApi
{
    /// <summary>Maps <c>POST /api/restores</c>.</summary>
    public static IEndpointRouteBuilder MapRestoresApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/restores", StartAsync).WithTags("Restores").WithName("StartRestore")
            .WithSummary("Starts a restore (whole VM, one volume to another VM, or as a new VM); Idempotency-Key makes retries safe.")
            .RequireAuthorization(Roles.Operator);
        return app;
    }

    private static async Task<Accepted<InstanceStarted>> StartAsync(RestoreRequest request, BackupCatalog catalog, WorkflowLauncher launcher,
        EntryWorkflows entries, HttpContext http, CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.BackupId is null) rules.Add("backupId", "is required.");
        if (request.Host is not null)
        {
            rules.Name("host", request.Host);
            // Only a quick restore can run the VM elsewhere; a restore writes back on the backup's host.
            if (request.Quick != true) rules.Add("host", "only a quick restore (quick: true) can choose the host; a restore goes back to the backup's host.");
        }
        if (request.Volume is not null || request.ToVm is not null)
        {
            if (request.Volume is null || request.ToVm is null) rules.Add("volume", "volume and toVm go together.");
            else rules.DiskTarget("volume", request.Volume);
            if (request.ToVm is not null) rules.VmName("toVm", request.ToVm);
        }
        if (request.AsNewVm is not null) rules.VmName("asNewVm", request.AsNewVm);
        if (request.AsNewVm is not null && request.ToVm is not null) rules.Add("asNewVm", "cannot be combined with toVm.");
        if (request.Quick == true && (request.AsNewVm is not null || request.ToVm is not null))
            rules.Add("quick", "quick restore restores the whole VM in place; it cannot be combined with toVm or asNewVm.");
        rules.ThrowIfAny();

        var backup = await catalog.ShowAsync(request.BackupId!.Value, ct);
        if (backup.State != BackupState.BackedUp)
            throw new ConflictException($"Backup {backup.Id} is {backup.State}; only BackedUp backups can be restored.");
        var input = new JsonObject { ["backupId"] = backup.Id.ToString() };
        if (request.Host is not null) input["targetHost"] = request.Host; // quick-restore.json's name for it
        if (request.Volume is not null) input["volume"] = request.Volume;
        if (request.ToVm is not null) input["toVm"] = request.ToVm;
        if (request.AsNewVm is not null) input["asNewVm"] = request.AsNewVm;
        var definition = await entries.RestoreAsync(backup, request.Quick == true, ct);
        var id = await launcher.StartAsync(definition, input, BackupsApi.IdempotencyKey(http), ct: ct);
        return TypedResults.Accepted($"/api/instances/{id}", new InstanceStarted(id));
    }
}

/// <summary>Body of POST /api/restores.</summary>
public sealed record RestoreRequest(Guid? BackupId, bool? Quick, string? Host, string? Volume, string? ToVm, string? AsNewVm);
