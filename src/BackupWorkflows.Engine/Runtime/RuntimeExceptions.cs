using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>The start input is missing required values, has a value of the wrong type, or holds an
/// input the definition does not declare.</summary>
public sealed class WorkflowInputException(string definitionId, IReadOnlyList<(string Input, string Problem)> problems)
    : WorkflowEngineException($"Invalid input for workflow '{definitionId}': " + string.Join("; ", problems.Select(p => p.Problem)))
{
    /// <summary>Each problem.</summary>
    public IReadOnlyList<string> Problems { get; } = [.. problems.Select(p => p.Problem)];

    /// <summary>The problems by the name of the input they concern.</summary>
    public IReadOnlyDictionary<string, string[]> ByInput { get; } =
        problems.GroupBy(p => p.Input, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Problem).ToArray(), StringComparer.Ordinal);
}

/// <summary>No instance with that id.</summary>
public sealed class WorkflowInstanceNotFoundException(string instanceId)
    : WorkflowEngineException($"Workflow instance '{instanceId}' does not exist.");

/// <summary>The operation does not apply to the instance's status (e.g. retrying a finished instance).</summary>
public sealed class WorkflowInstanceStateException(string message) : WorkflowEngineException(message);

/// <summary>An idempotency key that already started an instance of the definition came with another input.</summary>
public sealed class WorkflowIdempotencyConflictException(string definitionId, string key, string instanceId)
    : WorkflowEngineException($"Idempotency key '{key}' already started instance '{instanceId}' of workflow '{definitionId}' with another input; use a new key for a new request.")
{
    /// <summary>The instance the key started first.</summary>
    public string InstanceId { get; } = instanceId;
}
