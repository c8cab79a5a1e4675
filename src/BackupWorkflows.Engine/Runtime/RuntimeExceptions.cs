using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>The start input is missing required values or has a value of the wrong type.</summary>
public sealed class WorkflowInputException(string definitionId, IReadOnlyList<string> problems)
    : WorkflowEngineException($"Invalid input for workflow '{definitionId}': " + string.Join("; ", problems))
{
    /// <summary>Each problem.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>No instance with that id.</summary>
public sealed class WorkflowInstanceNotFoundException(string instanceId)
    : WorkflowEngineException($"Workflow instance '{instanceId}' does not exist.");

/// <summary>The operation does not apply to the instance's status (e.g. retrying a finished instance).</summary>
public sealed class WorkflowInstanceStateException(string message) : WorkflowEngineException(message);
