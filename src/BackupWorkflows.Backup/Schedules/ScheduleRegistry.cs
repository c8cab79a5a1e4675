using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Schedules;

/// <summary>
/// The backup schedules' records: what a schedule covers (one assigned VM or every VM of an offering), its cron and
/// its retention. When they fire is the server's business (Quartz); this is the domain's side of them.
/// </summary>
public sealed class ScheduleRegistry(BackupDbContext db, VmAssignments assignments, OfferingRegistry offerings, TimeProvider time)
{
    /// <summary>The schedule, or null when there is none (or it was deleted). Read-only.</summary>
    public Task<ScheduleRecord?> FindAsync(string id, CancellationToken ct = default) =>
        db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Every schedule by id.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(CancellationToken ct = default) =>
        await db.Schedules.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);

    /// <summary>Stores a new schedule of an assigned VM or of an existing offering (the caller has checked the cron
    /// and the time zone) under a new id.</summary>
    /// <exception cref="DomainConflictException">The VM is not assigned to an offering.</exception>
    /// <exception cref="DomainNotFoundException">No such offering.</exception>
    public async Task<ScheduleRecord> AddAsync(NewSchedule request, CancellationToken ct = default)
    {
        if (request.Covers is ScheduleCovers.Vm && !await assignments.IsAssignedAsync(request.Name, ct))
            throw new DomainConflictException($"VM '{request.Name}' is not assigned to an offering; assign it first.");
        if (request.Covers is ScheduleCovers.Offering && !await offerings.ExistsAsync(request.Name, ct))
            throw new DomainNotFoundException($"No offering named '{request.Name}'.");
        var schedule = new ScheduleRecord
        {
            Id = "s-" + Guid.NewGuid().ToString("N")[..12],
            VmName = request.Covers is ScheduleCovers.Vm ? request.Name : null,
            OfferingName = request.Covers is ScheduleCovers.Offering ? request.Name : null,
            Cron = request.Cron, QuartzCron = request.QuartzCron, TimeZone = request.TimeZone, Keep = request.Keep,
            Workflow = request.Workflow, Input = request.Input,
            CreatedAt = time.GetUtcNow(),
        };
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        return schedule;
    }

    /// <summary>Deletes the schedule's record.</summary>
    /// <exception cref="DomainNotFoundException">No such schedule.</exception>
    public async Task RemoveAsync(string id, CancellationToken ct = default)
    {
        if (await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(ct) == 0)
            throw new DomainNotFoundException($"No schedule {id}.");
    }
}

/// <summary>What a schedule covers.</summary>
public enum ScheduleCovers
{
    /// <summary>One VM.</summary>
    Vm,

    /// <summary>Every VM assigned to an offering when it fires.</summary>
    Offering,
}

/// <summary>A schedule to store: the VM or offering <paramref name="Name"/>, the cron as given and as Quartz reads it,
/// the IANA time zone and the backups to keep per VM (null keeps all).</summary>
public sealed record NewSchedule(ScheduleCovers Covers, string Name, string Cron, string QuartzCron, string TimeZone, int? Keep,
    string? Workflow = null, string? Input = null);
