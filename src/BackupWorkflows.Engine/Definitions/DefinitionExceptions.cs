namespace BackupWorkflows.Engine.Definitions;

/// <summary>Base of the engine's errors that callers are expected to show to a user.</summary>
public class WorkflowEngineException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A definition failed validation; nothing was saved. Lists every problem found.</summary>
public sealed class WorkflowValidationException(IReadOnlyList<ValidationProblem> problems)
    : WorkflowEngineException(Describe(problems))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<ValidationProblem> problems) =>
        $"The workflow definition is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + string.Concat(problems.Select(p => "\n - " + p));
}

/// <summary>The JSON of a definition could not be read (syntax error or wrong shape).</summary>
public sealed class WorkflowFormatException(string message, Exception? inner = null)
    : WorkflowEngineException(message, inner);

/// <summary>No definition (or no such version) with that id.</summary>
public sealed class WorkflowDefinitionNotFoundException(string id, int? version = null)
    : WorkflowEngineException(version is null
        ? $"Workflow definition '{id}' does not exist."
        : $"Workflow definition '{id}' has no version {version}.");

/// <summary>The definition exists but has no published version, so it cannot be started.</summary>
public sealed class WorkflowNotPublishedException(string id)
    : WorkflowEngineException($"Workflow definition '{id}' has no published version; publish a version before starting it.");
