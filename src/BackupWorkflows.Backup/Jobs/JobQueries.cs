using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>Which jobs to list; every field given must match.</summary>
public sealed record JobFilter
{
    /// <summary>One job (its instance id).</summary>
    public string? Id { get; init; }
    /// <summary>Jobs of this backup.</summary>
    public Guid? BackupId { get; init; }
    /// <summary>Jobs on this host.</summary>
    public string? Host { get; init; }
    /// <summary>Jobs of this type.</summary>
    public JobType? Type { get; init; }
    /// <summary>Jobs in this state.</summary>
    public JobState? State { get; init; }
    /// <summary>Newest jobs of each type looked at (1..500).</summary>
    public int Take { get; init; } = 200;
}

/// <summary>
/// Jobs as the engine sees them, for <c>GET /api/jobs</c>: each <c>compress</c> and <c>validate</c>
/// instance, with its state and why it waits, derived from the instance's status, the lock it waits
/// for, its timer and its journal.
/// </summary>
public sealed class JobQueries(IWorkflowInstanceQueries instances)
{
    /// <summary>Jobs matching <paramref name="filter"/>, newest first.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(JobFilter? filter = null, CancellationToken ct = default)
    {
        var f = filter ?? new JobFilter();
        var found = new List<WorkflowInstanceInfo>();
        if (f.Id is { } id)
        {
            if (await instances.GetAsync(id, ct) is { } one && TypeOf(one) is not null) found.Add(one);
        }
        else
            foreach (var type in Enum.GetValues<JobType>().Where(t => f.Type is null || f.Type == t))
                found.AddRange((await instances.ListAsync(new InstanceFilter { DefinitionId = JobWorkflows.Of(type), Take = Math.Clamp(f.Take, 1, 500) }, ct)).Items);
        var jobs = new List<Job>();
        foreach (var info in found.Where(i => Matches(i, f)))
        {
            var job = await DescribeAsync(info, ct);
            if (f.State is null || job.State == f.State) jobs.Add(job);
        }
        return [.. jobs.OrderByDescending(j => j.CreatedAt).Take(Math.Clamp(f.Take, 1, 500))];
    }

    private static bool Matches(WorkflowInstanceInfo i, JobFilter f) =>
        (f.Type is null || TypeOf(i) == f.Type)
        && (f.BackupId is null || Text(i, "backupId") == f.BackupId.ToString())
        && (f.Host is null || Text(i, "host") == f.Host);

    private async Task<Job> DescribeAsync(WorkflowInstanceInfo info, CancellationToken ct)
    {
        var type = TypeOf(info)!.Value;
        // The job's own activity is the one that waits, retries and works; Start and Finish are not attempts.
        var activity = type == JobType.Compression ? "compress" : "validate";
        var runs = (await instances.GetJournalAsync(info.Id, ct)).Where(j => j.ActivityId == activity).ToList();
        var failed = runs.Count(r => r.Status == ExecutionStatus.Faulted);
        var worked = runs.Any(r => r.Status is ExecutionStatus.Completed or ExecutionStatus.Running) ? 1 : 0;
        var last = runs.LastOrDefault();
        JobProgress? progress = null;
        (JobState state, string? reason) = info.Status switch
        {
            WorkflowStatus.Finished => (JobState.Done, null),
            WorkflowStatus.Cancelled => (JobState.Cancelled, null),
            WorkflowStatus.Faulted => (JobState.Failed, $"failed after {Math.Max(1, failed)} attempt(s): {Cause(info.Fault, activity)}"),
            WorkflowStatus.Waiting => (JobState.Queued, JobReasons.HostLimit),
            WorkflowStatus.Suspended when last?.Status == ExecutionStatus.Faulted && info.ResumeAt is { } at =>
                (JobState.Queued, $"{JobReasons.RetryAt(at)} (attempt {failed} failed: {last.Error})"),
            WorkflowStatus.Suspended => (JobState.Queued, JobReasons.Disabled),
            _ when last is null || last.Status != ExecutionStatus.Running => (JobState.Queued, JobReasons.Starting),
            _ => (JobState.Running, null),
        };
        if (state == JobState.Running)
            progress = (await instances.GetProgressAsync(info.Id, ct)).Where(p => p.ActivityId == activity)
                .Select(p => new JobProgress(p.Done, p.Total, p.Message)).FirstOrDefault();
        return new Job(info.Id, type, Guid.TryParse(Text(info, "backupId"), out var b) ? b : null, Text(info, "host") is { Length: > 0 } h ? h : null,
            Text(info, "levels") is { Length: > 0 } l ? l : null, state, reason,
            info.Status == WorkflowStatus.Faulted ? Cause(info.Fault, activity) : last?.Status == ExecutionStatus.Faulted ? last.Error : null,
            failed + (state is JobState.Done or JobState.Running ? worked : 0),
            state == JobState.Queued && info.Status == WorkflowStatus.Suspended && last?.Status == ExecutionStatus.Faulted ? info.ResumeAt : null,
            progress, info.CreatedAt, info.UpdatedAt, info.EndedAt);
    }

    /// <summary>The fault without the "activity: " prefix the engine adds.</summary>
    private static string Cause(string? fault, string activity) =>
        fault is null ? "unknown" : fault.StartsWith(activity + ": ", StringComparison.Ordinal) ? fault[(activity.Length + 2)..] : fault;

    private static JobType? TypeOf(WorkflowInstanceInfo i) => i.DefinitionId switch
    {
        JobWorkflows.Compress => JobType.Compression,
        JobWorkflows.Validate => JobType.Validation,
        _ => null,
    };

    private static string? Text(WorkflowInstanceInfo i, string input) =>
        i.Input?[input] is { } node && node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;
}
