using BackupWorkflows.Engine.Journal;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Filter and page of an instance listing.</summary>
public sealed record InstanceFilter
{
    /// <summary>Only this status.</summary>
    public WorkflowStatus? Status { get; init; }
    /// <summary>Only this definition.</summary>
    public string? DefinitionId { get; init; }
    /// <summary>Only this correlation id.</summary>
    public string? CorrelationId { get; init; }
    /// <summary>Rows to skip (newest first).</summary>
    public int Skip { get; init; }
    /// <summary>Page size (1..500).</summary>
    public int Take { get; init; } = 50;
}

/// <summary>A page of instances and the total count matching the filter.</summary>
public sealed record InstancePage(IReadOnlyList<WorkflowInstanceInfo> Items, int Total);

/// <summary>Read side of instances: state, journal, incidents, progress.</summary>
public interface IWorkflowInstanceQueries
{
    /// <summary>One instance, or null.</summary>
    Task<WorkflowInstanceInfo?> GetAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Instances, newest first.</summary>
    Task<InstancePage> ListAsync(InstanceFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Every execution attempt of the instance, in order.</summary>
    Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Incidents (activities whose retries were exhausted).</summary>
    Task<IReadOnlyList<Incident>> GetIncidentsAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Latest progress per activity (in-process value when running here, else the persisted one).</summary>
    Task<IReadOnlyList<ActivityProgress>> GetProgressAsync(string instanceId, CancellationToken cancellationToken = default);
}
