using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Server.Errors;

namespace BackupWorkflows.Server.Workflows;

/// <summary>
/// Starts the domain's workflows (backup, restore, …) for the API and the scheduler, turning a
/// missing or unpublished definition into a clear 409, and passing idempotency keys to the engine, the one store of them.
/// </summary>
public sealed class WorkflowLauncher(IWorkflowRuntime runtime, BackupCatalog catalog)
{
    /// <summary>Workflow that deletes a backup chain-safely; input <c>{ backupId }</c>.</summary>
    public const string DeleteBackup = "delete-backup";

    /// <summary>Workflow that takes a VM out of its offering (merging its delta on primary); input <c>{ host, vm }</c>.</summary>
    public const string UnassignVm = "unassign-vm";

    /// <summary>Workflow that validates a backup; input <c>{ backupId }</c>.</summary>
    public const string Validate = "validate";

    /// <summary>
    /// Starts a published workflow. With an <paramref name="idempotencyKey"/>, a second call with the
    /// same key and input returns the first call's instance and starts nothing (also after a restart, on any node).
    /// </summary>
    /// <remarks>The key is stored as <c>{definitionId}:{key}</c>, as since the first versions, so keys given before an
    /// upgrade still replay.</remarks>
    /// <exception cref="ConflictException">The definition does not exist or has no published version.</exception>
    /// <exception cref="WorkflowIdempotencyConflictException">The key started an instance with another input (the API answers 422).</exception>
    public async Task<string> StartAsync(string definitionId, JsonObject input, string? idempotencyKey = null,
        string? correlationId = null, CancellationToken ct = default)
    {
        var scoped = idempotencyKey is null ? null : $"{definitionId}:{idempotencyKey}";
        try
        {
            // The engine dedupes on the key under a unique index, so two racing requests with one key get one instance.
            return await runtime.StartAsync(definitionId, input,
                new StartOptions { IdempotencyKey = scoped, CorrelationId = correlationId ?? idempotencyKey }, ct);
        }
        catch (WorkflowDefinitionNotFoundException)
        {
            throw new ConflictException($"The workflow '{definitionId}' is not installed; import and publish it (bwf workflow import FILE; bwf workflow publish {definitionId}).");
        }
        catch (WorkflowNotPublishedException)
        {
            throw new ConflictException($"The workflow '{definitionId}' has no published version; publish it first (bwf workflow publish {definitionId}).");
        }
    }

    /// <summary>
    /// Starts the <c>delete-backup</c> workflow, which deletes chain-safely: a backup whose children
    /// still need it is only marked Removed; deleting the newest backup of the live chain merges its
    /// delta on primary and ends the chain. Without a key, one delete per backup and state is started.
    /// Returns the instance id.
    /// </summary>
    /// <exception cref="DomainNotFoundException">No such backup.</exception>
    /// <exception cref="DomainConflictException">Being created or already deleted.</exception>
    /// <exception cref="ConflictException">The workflow is not published.</exception>
    public async Task<string> DeleteBackupAsync(Guid id, string? idempotencyKey, CancellationToken ct = default)
    {
        var backup = await catalog.DeletableAsync(id, ct);
        return await StartAsync(DeleteBackup, new JsonObject { ["backupId"] = id.ToString() }, idempotencyKey ?? $"delete:{id}:{backup.State}", ct: ct);
    }
}
