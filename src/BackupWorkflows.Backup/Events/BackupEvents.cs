using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Events;

/// <summary>
/// The backup domain's events, raised at one place: the end of the shipped workflows' instances (the engine writes
/// them into its outbox in the same commit as the end). <c>backup</c> ends raise <c>backup.completed</c> /
/// <c>backup.failed</c>; <c>restore</c> and <c>quick-restore</c> raise <c>restore.completed</c> / <c>restore.failed</c>;
/// <c>validate</c> raises <c>validation.finished</c> with its result (Valid, Invalid, UnableToValidate; Faulted when it
/// faulted); a faulted job (<c>validate</c>, <c>compress</c>) also raises <c>job.failed</c>. Cancelled instances raise
/// nothing. Payload: <c>vm</c>, <c>offering</c>, <c>host</c>, <c>backupId</c>, <c>instanceId</c>, <c>workflow</c>,
/// <c>result</c>, <c>error</c>.
/// </summary>
public sealed class BackupEvents(IServiceScopeFactory scopes) : IDomainEventSource
{
    /// <summary>Workflow ids of the backup and restore paths (the shipped ones).</summary>
    public const string BackupWorkflow = "backup", RestoreWorkflow = "restore", QuickRestoreWorkflow = "quick-restore";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DomainEvent>> EventsOfAsync(EndedInstance ended, CancellationToken cancellationToken)
    {
        if (ended.Status is not (WorkflowStatus.Finished or WorkflowStatus.Faulted)) return [];
        var failed = ended.Status == WorkflowStatus.Faulted;
        var names = ended.DefinitionId switch
        {
            BackupWorkflow => [failed ? DomainEventNames.BackupFailed : DomainEventNames.BackupCompleted],
            RestoreWorkflow or QuickRestoreWorkflow => [failed ? DomainEventNames.RestoreFailed : DomainEventNames.RestoreCompleted],
            JobWorkflows.Validate => failed ? [DomainEventNames.ValidationFinished, DomainEventNames.JobFailed] : [DomainEventNames.ValidationFinished],
            JobWorkflows.Compress when failed => [DomainEventNames.JobFailed],
            _ => Array.Empty<string>(),
        };
        if (names.Length == 0) return [];
        var payload = await PayloadAsync(ended, failed, cancellationToken);
        return names.Select(n => new DomainEvent(n, (JsonObject)payload.DeepClone())).ToList();
    }

    private async Task<JsonObject> PayloadAsync(EndedInstance ended, bool failed, CancellationToken ct)
    {
        var backupId = Text(ended.Output?["backupId"]) ?? Text(ended.Input["backupId"]) ?? Text(ended.StepOutputs["prepare"]?["backupId"]);
        var vm = Text(ended.Input["vm"]);
        var host = Text(ended.Input["host"]);
        string? offering = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
            if (Guid.TryParse(backupId, out var id)
                && await db.Backups.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.VmName, b.HostName }).FirstOrDefaultAsync(ct) is { } backup)
                (vm, host) = (vm ?? backup.VmName, host ?? backup.HostName);
            if (vm is not null && host is not null)
                offering = await db.Assignments.AsNoTracking().Where(a => a.VmName == vm && a.HostName == host)
                    .Select(a => a.OfferingName).FirstOrDefaultAsync(ct);
        }
        var result = ended.DefinitionId == JobWorkflows.Validate
            ? failed ? "Faulted" : Text(ended.Output?["result"]) ?? "Faulted"
            : failed ? "failed" : "completed";
        return new JsonObject
        {
            ["vm"] = vm, ["offering"] = offering, ["host"] = host, ["backupId"] = backupId, ["instanceId"] = ended.InstanceId,
            ["workflow"] = ended.DefinitionId, ["result"] = result, ["error"] = failed ? ended.Fault : null,
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.ToString() is { Length: > 0 } s ? s : null;
}
