using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>Adds jobs and moves them between states; the only writer of <c>bwf_jobs</c> rows' state.</summary>
public sealed class JobQueue(BackupDbContext db, TimeProvider time)
{
    /// <summary>Queues a job, unless the same kind of job for the backup is already waiting or running.</summary>
    public async Task<JobRecord> EnqueueAsync(Guid backupId, string host, JobType type, string? levels = null,
        DateTimeOffset? runAt = null, CancellationToken ct = default)
    {
        var open = (await db.Jobs.Where(j => j.BackupId == backupId && j.Type == type).ToListAsync(ct))
            .FirstOrDefault(j => j.State is JobState.Scheduled or JobState.Starting or JobState.Finalizing && j.Levels == levels);
        if (open is not null) return open;
        var now = time.GetUtcNow();
        var job = new JobRecord
        {
            Id = Guid.NewGuid(), BackupId = backupId, HostName = host, Type = type, Levels = levels,
            NextRunAt = runAt ?? now, CreatedAt = now, UpdatedAt = now,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job;
    }

    /// <summary>Marks the running job Finalizing (its files are being replaced or results recorded).</summary>
    public async Task MarkFinalizingAsync(Guid jobId, CancellationToken ct = default)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.State != JobState.Starting) return;
        job.State = JobState.Finalizing;
        job.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
