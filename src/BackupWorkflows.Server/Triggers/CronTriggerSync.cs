using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Server.Schedules;
using Quartz;

namespace BackupWorkflows.Server.Triggers;

/// <summary>
/// Keeps one Quartz job per <c>Trigger.Cron</c> of the trigger index, in the shared (clustered on PostgreSQL)
/// job store: adds the jobs of newly published triggers, replaces those whose settings changed, deletes those
/// no longer published. Runs at start, at once when this node changes the index, and every 30 s (for changes
/// other nodes made). Quartz then fires each firing on one node; <see cref="CronTriggerJob"/> starts the instance.
/// </summary>
public sealed class CronTriggerSync(IWorkflowTriggers triggers, ISchedulerFactory schedulers, IServiceScopeFactory scopes,
    ILogger<CronTriggerSync> logger) : BackgroundService
{
    /// <summary>Quartz job group of workflow cron triggers.</summary>
    public const string Group = "workflow-triggers";

    private const string SignatureKey = "signature";
    private readonly SemaphoreSlim _changed = new(0);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        void OnChanged() => _changed.Release();
        triggers.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await SyncAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Syncing the workflows' cron triggers with Quartz failed; retrying.");
                }
                try { await _changed.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken); }
                catch (OperationCanceledException) { }
                while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken); // one pass for a burst of changes
            }
        }
        finally { triggers.Changed -= OnChanged; }
    }

    /// <summary>One pass: makes the Quartz jobs of the group match the index.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        CronTriggerMisfireInstruction misfire;
        await using (var scope = scopes.CreateAsyncScope())
            misfire = await ScheduleService.MisfireInstructionAsync(scope.ServiceProvider.GetRequiredService<BackupSettings>(), ct);
        var wanted = new HashSet<JobKey>();
        foreach (var trigger in await triggers.ListAsync(CronTrigger.TypeName, ct))
        {
            var jobKey = new JobKey(trigger.Key, Group);
            wanted.Add(jobKey);
            var (quartz, zone, problems) = ScheduleCron.Read(trigger.Settings["cron"]?.GetValue<string>(), trigger.Settings["timeZone"]?.GetValue<string>());
            if (quartz is null || zone is null)
            {
                logger.LogWarning("Cron trigger {Trigger} of {Workflow} is not scheduled: {Problems}", trigger.Key, trigger.DefinitionId,
                    string.Join("; ", problems.Select(p => $"{p.Input} {p.Problem}")));
                continue;
            }
            var signature = $"{trigger.DefinitionVersion}|{quartz}|{zone.Id}|{misfire}";
            var existing = await scheduler.GetJobDetail(jobKey, ct);
            if (existing?.JobDataMap.GetString(SignatureKey) == signature && await scheduler.GetTrigger(new TriggerKey(trigger.Key, Group), ct) is not null) continue;
            var job = JobBuilder.Create<CronTriggerJob>().WithIdentity(jobKey)
                .UsingJobData(CronTriggerJob.TriggerKey, trigger.Key).UsingJobData(SignatureKey, signature).RequestRecovery().Build();
            var cron = TriggerBuilder.Create().WithIdentity(trigger.Key, Group).ForJob(job)
                .WithSchedule(CronScheduleBuilder.Create(quartz).InTimeZone(zone).WithMisfireInstruction(misfire)).Build();
            await scheduler.ScheduleJob(job, cron, ScheduleJobOptions.Replacing, ct);
            logger.LogInformation("Cron trigger {Trigger} of {Workflow} v{Version} scheduled ({Cron}, {Zone})", trigger.Key, trigger.DefinitionId,
                trigger.DefinitionVersion, quartz, zone.Id);
        }
        foreach (var stale in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), ct))
            if (!wanted.Contains(stale))
            {
                await scheduler.DeleteJob(stale, ct);
                logger.LogInformation("Cron trigger {Trigger} unscheduled (no longer published)", stale.Name);
            }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
