using System.Globalization;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Triggers;
using Quartz;

namespace BackupWorkflows.Server.Triggers;

/// <summary>
/// One firing of a workflow's <c>Trigger.Cron</c>: starts the workflow at that trigger with the trigger's input.
/// The idempotency key is the trigger and the scheduled fire time, so a firing recovered on another node (or
/// fired twice) starts one instance. A trigger no longer in the index (unpublished meanwhile) starts nothing.
/// </summary>
public sealed class CronTriggerJob(IWorkflowTriggers triggers, IWorkflowRuntime runtime, ILogger<CronTriggerJob> logger) : IJob
{
    /// <summary>Job data key holding the trigger's index key (<c>definition/activity</c>).</summary>
    public const string TriggerKey = "triggerKey";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.MergedJobDataMap.GetString(TriggerKey)!;
        var trigger = await triggers.FindAsync(CronTrigger.TypeName, key, cancellationToken);
        if (trigger is null) return; // unpublished between the firing and now
        var scheduled = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime();
        var fireTime = scheduled.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        try
        {
            var id = await runtime.StartAsync(trigger.DefinitionId, trigger.Settings["input"]?.DeepClone() as JsonObject, new StartOptions
            {
                IdempotencyKey = $"cron:{key}:{fireTime}", CorrelationId = $"cron:{key}:{fireTime}",
                Trigger = new TriggerStart(trigger.ActivityId, trigger.Type, new JsonObject
                {
                    ["scheduledAt"] = scheduled, ["firedAt"] = context.FireTimeUtc.ToUniversalTime(), ["cron"] = trigger.Settings["cron"]?.DeepClone(),
                }),
            }, cancellationToken);
            logger.LogInformation("Cron trigger {Trigger} started {Workflow} instance {Instance} for firing {Fire}", key, trigger.DefinitionId, id, fireTime);
        }
        catch (Exception e) when (e is WorkflowEngineException)
        {
            logger.LogWarning("Cron trigger {Trigger} could not start {Workflow}: {Error}", key, trigger.DefinitionId, e.Message);
        }
    }
}
