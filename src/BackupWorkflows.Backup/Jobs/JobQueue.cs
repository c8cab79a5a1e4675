using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// Queues a job by starting its workflow instance: from then on the engine owns it (the wait for a
/// slot under the host's limit, the wait while compression is disabled, the retries and their
/// durable waits). There is no job table to keep in step with the engine.
/// </summary>
public sealed class JobQueue(IWorkflowRuntime runtime, IWorkflowInstanceQueries instances)
{
    /// <summary>
    /// Starts a job, unless the same kind of job for the backup (and levels) is already queued or
    /// running: then that one's id. Returns the job's workflow instance id.
    /// </summary>
    public async Task<string> EnqueueAsync(Guid backupId, string host, JobType type, string? levels = null, CancellationToken ct = default)
    {
        if (await OpenAsync(backupId, type, levels, ct) is { } open) return open.Id;
        var input = new JsonObject { ["backupId"] = backupId.ToString(), ["host"] = host };
        if (levels is not null) input["levels"] = levels;
        return await runtime.StartAsync(JobWorkflows.Of(type), input, new StartOptions { CorrelationId = CorrelationOf(backupId, type, levels) }, ct);
    }

    /// <summary>The job of this kind for the backup that has not ended, if any.</summary>
    public async Task<WorkflowInstanceInfo?> OpenAsync(Guid backupId, JobType type, string? levels, CancellationToken ct = default)
    {
        var page = await instances.ListAsync(new InstanceFilter
        {
            DefinitionId = JobWorkflows.Of(type), CorrelationId = CorrelationOf(backupId, type, levels), Take = 20,
        }, ct);
        return page.Items.FirstOrDefault(i => !i.Status.IsEnded());
    }

    /// <summary>Correlation id of a job: the same for every job of one kind on one backup, so an open one is found.</summary>
    public static string CorrelationOf(Guid backupId, JobType type, string? levels) =>
        $"job:{JobWorkflows.Of(type)}:{backupId}" + (string.IsNullOrEmpty(levels) ? "" : $":{levels}");
}
