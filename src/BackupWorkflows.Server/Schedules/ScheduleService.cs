using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Persistence;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Server.Validation;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace BackupWorkflows.Server.Schedules;

/// <summary>A schedule with its next firing.</summary>
public sealed record ScheduleView(ScheduleRecord Record, DateTimeOffset? NextFireAt);

/// <summary>Creates, lists and deletes backup schedules: a row in the server's table plus a Quartz job and cron trigger.</summary>
public sealed class ScheduleService(ServerDbContext db, VmAssignments assignments, OfferingRegistry offerings, ISchedulerFactory schedulers,
    BackupSettings settings, TimeProvider time)
{
    /// <summary>Checks the request and schedules it.</summary>
    public async Task<ScheduleView> CreateAsync(string? vm, string? offering, string? cron, string? timeZone, int? keep, CancellationToken ct)
    {
        var rules = new InputRules();
        if ((vm is null) == (offering is null)) rules.Add("vm", "give either vm or offering (exactly one).");
        if (vm is not null) rules.VmName("vm", vm);
        if (offering is not null) rules.Name("offering", offering);
        var (quartz, cronError) = ScheduleCron.Parse(cron);
        if (cronError is not null) rules.Add("cron", cronError);
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
            rules.Add("timeZone", $"'{timeZone}' is not a known time zone (use an IANA id such as Europe/Berlin).");
        rules.Range("keep", keep, 1, 10000).ThrowIfAny();

        if (vm is not null && !await assignments.IsAssignedAsync(vm, ct))
            throw new ConflictException($"VM '{vm}' is not assigned to an offering; assign it first.");
        if (offering is not null && !await offerings.ExistsAsync(offering, ct))
            throw new NotFoundException($"No offering named '{offering}'.");

        var record = new ScheduleRecord
        {
            Id = "s-" + Guid.NewGuid().ToString("N")[..12], VmName = vm, OfferingName = offering, Cron = cron!.Trim(),
            QuartzCron = quartz!, TimeZone = timeZone ?? "UTC", Keep = keep, CreatedAt = time.GetUtcNow(),
        };
        db.Schedules.Add(record);
        await db.SaveChangesAsync(ct);
        try
        {
            var misfire = await MisfireInstructionAsync(settings, ct);
            var scheduler = await schedulers.GetScheduler(ct);
            var job = JobBuilder.Create<ScheduledBackupJob>().WithIdentity(record.Id, SchedulingSetup.Group)
                .UsingJobData(ScheduledBackupJob.ScheduleIdKey, record.Id).RequestRecovery().Build();
            var trigger = TriggerBuilder.Create().WithIdentity(record.Id, SchedulingSetup.Group).ForJob(job)
                .WithSchedule(CronScheduleBuilder.Create(record.QuartzCron).InTimeZone(zone).WithMisfireInstruction(misfire))
                .Build();
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
            return new ScheduleView(record, trigger.GetFireTimeAfter(time.GetUtcNow()));
        }
        catch
        {
            db.Schedules.Remove(record);
            await db.SaveChangesAsync(CancellationToken.None);
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

    /// <summary>The schedule, or null when it was deleted.</summary>
    public Task<ScheduleRecord?> FindAsync(string id, CancellationToken ct) =>
        db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Every schedule with its next firing.</summary>
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var views = new List<ScheduleView>();
        foreach (var record in await db.Schedules.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct))
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(record.Id, SchedulingSetup.Group), ct);
            views.Add(new ScheduleView(record, trigger?.NextFireTimeUtc));
        }
        return views;
    }

    /// <summary>Deletes a schedule and its Quartz job.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var record = await db.Schedules.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException($"No schedule {id}.");
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.DeleteJob(new JobKey(id, SchedulingSetup.Group), ct);
        db.Schedules.Remove(record);
        await db.SaveChangesAsync(ct);
    }
}
