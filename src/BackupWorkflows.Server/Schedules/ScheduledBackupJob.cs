using System.Globalization;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Retention;
using BackupWorkflows.Backup.Schedules;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Server.Workflows;
using BackupWorkflows.Engine.Runtime;
using Quartz;

namespace BackupWorkflows.Server.Schedules;

/// <summary>
/// One firing of a schedule: starts the schedule's workflow (by default the backup workflow of the VM's offering) for
/// each VM it covers, with the schedule's input under <c>host</c> and <c>vm</c> (and <c>type</c> auto unless the input
/// says otherwise), then
/// applies retention (keep the newest N completed backups, delete older ones chain-safely).
/// </summary>
/// <remarks>
/// The idempotency key is <c>schedule:{id}:{host}/{vm}:{scheduled fire time}</c>: a firing that
/// is recovered on another node, or fired twice, finds the instance the first run started.
/// A firing is registered in <see cref="ScheduleFirings"/> before it reads its schedule, so a delete of the schedule
/// waits for it.
/// </remarks>
public sealed class ScheduledBackupJob(IServiceScopeFactory scopes, ScheduleFirings firings, ILogger<ScheduledBackupJob> logger) : IJob
{
    /// <summary>Job data key holding the schedule id.</summary>
    public const string ScheduleIdKey = "scheduleId";

    /// <summary>Inputs each firing sets per VM; a schedule's own input may not give them.</summary>
    public static IReadOnlyList<string> FiringInputs { get; } = ["host", "vm"];

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var scheduleId = context.MergedJobDataMap.GetString(ScheduleIdKey)!;
        using var firing = firings.Begin(scheduleId);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var schedule = await services.GetRequiredService<ScheduleRegistry>().FindAsync(scheduleId, cancellationToken);
        if (schedule is null) return; // deleted between firing and now

        var vms = await services.GetRequiredService<VmAssignments>().CoveredAsync(schedule.VmName, schedule.OfferingName, cancellationToken);
        var fireTime = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime()
            .ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var launcher = services.GetRequiredService<WorkflowLauncher>();
        var entries = services.GetRequiredService<EntryWorkflows>();
        var offeringWorkflows = new Dictionary<string, string>(StringComparer.Ordinal); // one read per offering, not per VM
        foreach (var vm in vms)
        {
            var key = $"schedule:{schedule.Id}:{vm.HostName}/{vm.VmName}:{fireTime}";
            try
            {
                var input = schedule.Input is null ? new JsonObject() : JsonNode.Parse(schedule.Input)!.AsObject();
                input["host"] = vm.HostName;
                input["vm"] = vm.VmName;
                if (!input.ContainsKey("type")) input["type"] = "auto";
                var workflow = schedule.Workflow;
                if (workflow is null && !offeringWorkflows.TryGetValue(vm.OfferingName, out workflow))
                    offeringWorkflows[vm.OfferingName] = workflow = await entries.BackupAsync(vm, cancellationToken);
                var instance = await launcher.StartAsync(workflow, input, key, key, cancellationToken);
                logger.LogInformation("Schedule {Schedule} started {Workflow} {Instance} of {Vm} for firing {Fire}",
                    schedule.Id, workflow, instance, vm.VmName, fireTime);
            }
            catch (Exception e) when (e is ConflictException or WorkflowInputException)
            {
                logger.LogWarning("Schedule {Schedule} could not start its workflow for {Vm}: {Error}", schedule.Id, vm.VmName, e.Message);
            }
        }

        var keep = schedule.Keep ?? await services.GetRequiredService<BackupSettings>().GetIntAsync(SettingCatalog.SchedulesDefaultKeep, cancellationToken);
        if (keep > 0)
        {
            var retention = services.GetRequiredService<BackupRetention>();
            foreach (var vm in vms) await ApplyRetentionAsync(launcher, retention, vm, keep, schedule.Id, cancellationToken);
        }
    }

    /// <summary>Starts the chain-safe delete, oldest first, of the completed backups of a VM beyond the newest <paramref name="keep"/>.</summary>
    /// <remarks>Each delete takes the VM's lock in the workflow, so they run one after the other in this order.</remarks>
    private async Task ApplyRetentionAsync(WorkflowLauncher launcher, BackupRetention retention, VmAssignment vm, int keep, string scheduleId,
        CancellationToken ct)
    {
        foreach (var id in await retention.BeyondKeepAsync(vm.HostName, vm.VmName, keep, ct))
        {
            try
            {
                var instance = await launcher.DeleteBackupAsync(id, $"retention:{scheduleId}:{id}", ct);
                logger.LogInformation("Retention of {Vm} (keep {Keep}): deleting backup {Id} in instance {Instance}", vm.VmName, keep, id, instance);
            }
            catch (Exception e) when (e is ApiException or DomainConflictException or DomainNotFoundException)
            {
                logger.LogWarning("Retention of {Vm} could not delete backup {Id}: {Error}", vm.VmName, id, e.Message);
            }
        }
    }
}
