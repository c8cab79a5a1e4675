using BackupWorkflows.Backup.Activities;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>After a backup is stored: queues its compression and validation jobs as its offering asks.</summary>
[Activity("Backup.QueueJobs", Category = "Backup", DisplayName = "Queue compression/validation",
    Description = "Queues the backup's compression job (offering compresses) and validation job (offering validates).")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2)]
public sealed class QueueBackupJobs(BackupWorkLoader loader, JobQueue queue, BackupSettings settings) : Activity
{
    [Input(Description = "Id of the stored backup.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Ids of the queued jobs.")]
    public List<string> JobIds { get; set; } = [];

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        if (work.Backup.State != BackupState.BackedUp) { context.Journal($"backup is {work.Backup.State}: no jobs"); return ActivityResult.Done; }
        if (work.Offering.Compress)
        {
            if (await settings.GetBoolAsync(SettingCatalog.CompressionEnabled, ct))
            {
                var job = await queue.EnqueueAsync(work.Backup.Id, work.HostRecord.Name, JobType.Compression, ct: ct);
                JobIds.Add(job.Id.ToString());
                context.Journal($"compression job {job.Id} queued");
            }
            else context.Journal("the offering compresses, but compression.enabled is false: no job");
        }
        if (work.Offering.Validate)
        {
            var job = await queue.EnqueueAsync(work.Backup.Id, work.HostRecord.Name, JobType.Validation, ct: ct);
            JobIds.Add(job.Id.ToString());
            context.Journal($"validation job {job.Id} queued");
        }
        return ActivityResult.Done;
    }
}
