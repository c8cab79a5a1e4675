using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>Which jobs to list; every field given must match.</summary>
public sealed record JobFilter
{
    public Guid? Id { get; init; }
    public Guid? BackupId { get; init; }
    public string? Host { get; init; }
    public JobType? Type { get; init; }
    /// <summary>One state, e.g. Starting or Finalizing.</summary>
    public JobState? State { get; init; }
    /// <summary>True: only jobs running now (Starting, Finalizing).</summary>
    public bool? Executing { get; init; }
    /// <summary>True: only jobs waiting to run (Scheduled).</summary>
    public bool? Scheduled { get; init; }
    public int Take { get; init; } = 200;
}

/// <summary>Read side of the job table, for <c>GET /api/jobs</c>.</summary>
public sealed class JobQueries(BackupDbContext db)
{
    /// <summary>Jobs matching <paramref name="filter"/>, newest first.</summary>
    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobFilter? filter = null, CancellationToken ct = default)
    {
        var f = filter ?? new JobFilter();
        var q = db.Jobs.AsNoTracking().AsQueryable();
        if (f.Id is { } id) q = q.Where(j => j.Id == id);
        if (f.BackupId is { } b) q = q.Where(j => j.BackupId == b);
        if (f.Host is { } h) q = q.Where(j => j.HostName == h);
        if (f.Type is { } t) q = q.Where(j => j.Type == t);
        if (f.State is { } s) q = q.Where(j => j.State == s);
        if (f.Executing is { } e) q = e ? q.Where(j => j.State == JobState.Starting || j.State == JobState.Finalizing)
            : q.Where(j => j.State != JobState.Starting && j.State != JobState.Finalizing);
        if (f.Scheduled is { } sc) q = sc ? q.Where(j => j.State == JobState.Scheduled) : q.Where(j => j.State != JobState.Scheduled);
        // SQLite cannot order by DateTimeOffset in SQL; job lists are small, so order in memory.
        var list = await q.ToListAsync(ct);
        return [.. list.OrderByDescending(j => j.CreatedAt).Take(f.Take)];
    }
}
