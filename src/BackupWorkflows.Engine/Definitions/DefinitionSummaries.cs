namespace BackupWorkflows.Engine.Definitions;

/// <summary>One definition in a listing: its latest version and its published one.</summary>
public sealed record WorkflowDefinitionSummary(
    string Id, string Name, string? Description, int LatestVersion, int? PublishedVersion, DateTimeOffset UpdatedAt);

/// <summary>One stored version of a definition.</summary>
public sealed record WorkflowDefinitionVersionInfo(
    string Id, int Version, bool IsPublished, string ContentHash, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

/// <summary>Result of an import: the stored definition and whether a new version was written.</summary>
public sealed record WorkflowImportResult(WorkflowDefinition Definition, bool Created);

/// <summary>One thing wrong with a definition.</summary>
/// <param name="ActivityId">The activity concerned, if any.</param>
/// <param name="Path">Where in the definition, e.g. <c>inputs.vmId</c> or <c>connections[2]</c>.</param>
/// <param name="Message">What is wrong, in words for an operator.</param>
public sealed record ValidationProblem(string? ActivityId, string? Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        (ActivityId, Path) switch
        {
            (null, null) => Message,
            (null, _) => $"{Path}: {Message}",
            (_, null) => $"activity '{ActivityId}': {Message}",
            _ => $"activity '{ActivityId}' {Path}: {Message}",
        };
}
