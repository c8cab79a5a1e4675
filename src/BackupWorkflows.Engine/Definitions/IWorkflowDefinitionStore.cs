namespace BackupWorkflows.Engine.Definitions;

/// <summary>
/// Versioned storage of workflow definitions. Versions are drafts until published; at most one
/// version of an id is published; old versions are kept because running instances stay on the
/// version they started with. Every write validates first and saves nothing when invalid.
/// </summary>
public interface IWorkflowDefinitionStore
{
    /// <summary>Checks a definition without saving it; empty when valid.</summary>
    IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition definition);

    /// <summary>
    /// Saves a draft: overwrites the latest version when it is an unpublished draft, otherwise
    /// creates version latest+1. Throws <see cref="WorkflowValidationException"/> when invalid.
    /// </summary>
    Task<WorkflowDefinition> SaveDraftAsync(WorkflowDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a version (default: the latest); the previously published one is unpublished. Its trigger
    /// activities replace the definition's rows in the trigger index (a trigger key another published
    /// workflow holds is a <see cref="WorkflowValidationException"/>).
    /// </summary>
    Task<WorkflowDefinition> PublishAsync(string id, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unpublishes the definition: no version is published afterwards, its triggers stop and new starts
    /// are refused; running instances go on. False when nothing was published.
    /// </summary>
    Task<bool> UnpublishAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A version (default: the latest), or null.</summary>
    Task<WorkflowDefinition?> GetAsync(string id, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>The published version, or null.</summary>
    Task<WorkflowDefinition?> GetPublishedAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every definition id with its latest and published version.</summary>
    Task<IReadOnlyList<WorkflowDefinitionSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every version of one id, oldest first.</summary>
    Task<IReadOnlyList<WorkflowDefinitionVersionInfo>> ListVersionsAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Makes a new draft whose content is that of an old version.</summary>
    Task<WorkflowDefinition> RevertAsync(string id, int version, CancellationToken cancellationToken = default);

    /// <summary>Deletes every version; refused while instances of the id are not finished. False when unknown.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a definition from JSON. Idempotent: when the content equals the latest version's,
    /// no version is written (it is still published when asked). Throws
    /// <see cref="WorkflowFormatException"/> for malformed JSON and
    /// <see cref="WorkflowValidationException"/> for an invalid definition.
    /// </summary>
    Task<WorkflowImportResult> ImportAsync(string json, bool publish, CancellationToken cancellationToken = default);

    /// <summary>A version (default: the latest) as indented JSON.</summary>
    Task<string> ExportAsync(string id, int? version = null, CancellationToken cancellationToken = default);
}
