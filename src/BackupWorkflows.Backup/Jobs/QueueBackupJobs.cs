using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>After a backup is stored: queues its compression and validation jobs as its offering asks.</summary>
[Activity("Backup.QueueJobs", Category = "Backup", DisplayName = "Queue compression/validation",
    Description = "Starts the backup's compression job (offering compresses) and validation job (offering validates) as workflow instances.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2)]
public sealed class QueueBackupJobs(BackupContextLoader loader, JobQueue queue) : Activity
{
    [Input(Description = "Id of the stored backup.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Ids of the queued jobs (their workflow instances).")]
    public List<string> JobIds { get; set; } = [];

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        if (work.Backup.State != BackupState.BackedUp) { context.Journal($"backup is {work.Backup.State}: no jobs"); return ActivityResult.Done; }
        // Queued even while compression.enabled is false: the job then waits, listed as queued
        // 'disabled', and runs once it is enabled again.
        if (work.Offering.Compress)
        {
            var job = await queue.EnqueueAsync(work.Backup.Id, work.HostRecord.Name, JobType.Compression, ct: ct);
            JobIds.Add(job);
            context.Journal($"compression job {job} queued");
        }
        if (work.Offering.Validate)
        {
            var job = await queue.EnqueueAsync(work.Backup.Id, work.HostRecord.Name, JobType.Validation, ct: ct);
            JobIds.Add(job);
            context.Journal($"validation job {job} queued");
        }
        return ActivityResult.Done;
    }
}
