using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Backup.Schedules;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Server.Validation;
using BackupWorkflows.Server.Workflows;
using Quartz;

namespace BackupWorkflows.Server.Schedules;

/// <summary>A schedule with its next firing.</summary>
public sealed record ScheduleView(ScheduleRecord Record, DateTimeOffset? NextFireAt);

/// <summary>
/// Creates, lists and deletes backup schedules: the record in the domain's <see cref="ScheduleRegistry"/> plus a
/// Quartz job and cron trigger of the same id (Quartz, the server's clustered scheduler, decides when they fire).
/// </summary>
public sealed class ScheduleService(ScheduleRegistry registry, ISchedulerFactory schedulers, ScheduleFirings firings,
    BackupSettings settings, EntryWorkflows entries, TimeProvider time)
{
    /// <summary>Checks the request and schedules it.</summary>
    /// <exception cref="Errors.InputException">A field is malformed.</exception>
    /// <exception cref="DomainConflictException">The VM is not assigned.</exception>
    /// <exception cref="DomainNotFoundException">No such offering.</exception>
    public async Task<ScheduleView> CreateAsync(string? vm, string? offering, string? cron, string? timeZone, int? keep, CancellationToken ct,
        string? workflow = null, JsonObject? input = null)
    {
        var rules = new InputRules();
        if ((vm is null) == (offering is null)) rules.Add("vm", "give either vm or offering (exactly one).");
        if (vm is not null) rules.VmName("vm", vm);
        if (offering is not null) rules.Name("offering", offering);
        var reading = ScheduleCron.Read(cron, timeZone);
        foreach (var (field, problem) in reading.Problems) rules.Add(field, problem);
        rules.Range("keep", keep, 1, 10000);
        await entries.CheckAsync(rules, "workflow", workflow, ct);
        foreach (var name in ScheduledBackupJob.FiringInputs.Where(n => input?.ContainsKey(n) == true))
            rules.Add("input", $"'{name}' is given by each firing, for each VM the schedule covers; leave it out.");
        rules.ThrowIfAny();

        var record = await registry.AddAsync(new NewSchedule(vm is null ? ScheduleCovers.Offering : ScheduleCovers.Vm, (vm ?? offering)!,
            cron!.Trim(), reading.Quartz!, timeZone ?? "UTC", keep, workflow, input?.ToJsonString()), ct);
        try
        {
            var misfire = await MisfireInstructionAsync(settings, ct);
            var scheduler = await schedulers.GetScheduler(ct);
            var job = JobBuilder.Create<ScheduledBackupJob>().WithIdentity(record.Id, SchedulingSetup.Group)
                .UsingJobData(ScheduledBackupJob.ScheduleIdKey, record.Id).RequestRecovery().Build();
            var trigger = TriggerBuilder.Create().WithIdentity(record.Id, SchedulingSetup.Group).ForJob(job)
                .WithSchedule(CronScheduleBuilder.Create(record.QuartzCron).InTimeZone(reading.Zone).WithMisfireInstruction(misfire))
                .Build();
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
            return new ScheduleView(record, trigger.GetFireTimeAfter(time.GetUtcNow()));
        }
        catch
        {
            await registry.RemoveAsync(record.Id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The Quartz misfire instruction of the setting <c>schedules.misfire.policy</c>, for every cron trigger
    /// (schedules and the workflows' <c>Trigger.Cron</c>): <c>skip</c> drops missed firings, otherwise one
    /// missed firing runs at once and the schedule proceeds.
    /// </summary>
    public static async Task<CronTriggerMisfireInstruction> MisfireInstructionAsync(BackupSettings settings, CancellationToken ct) =>
        await settings.GetAsync(SettingCatalog.SchedulesMisfirePolicy, ct) == "skip"
            ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed;

    /// <summary>Every schedule with its next firing.</summary>
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var views = new List<ScheduleView>();
        foreach (var record in await registry.ListAsync(ct))
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(record.Id, SchedulingSetup.Group), ct);
            views.Add(new ScheduleView(record, trigger?.NextFireTimeUtc));
        }
        return views;
    }

    /// <summary>
    /// Deletes a schedule and its Quartz job, and returns once no firing of it runs on this node: after that no backup
    /// of the schedule starts (see <see cref="ScheduleFirings"/>).
    /// </summary>
    /// <exception cref="DomainNotFoundException">No such schedule.</exception>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        if (await registry.FindAsync(id, ct) is null) throw new DomainNotFoundException($"No schedule {id}.");
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(new JobKey(id, SchedulingSetup.Group), ct);
        await registry.RemoveAsync(id, ct);
        await firings.WhenIdleAsync(id, ct);
    }
}
