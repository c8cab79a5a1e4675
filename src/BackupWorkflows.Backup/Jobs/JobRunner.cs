using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine;
using BackupWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// Drives <c>bwf_jobs</c>: starts due jobs as workflow instances (within each host's limit) and
/// records how their instances ended (Done, or a retry after the interval, or Failed).
/// </summary>
/// <remarks>
/// Why rows plus one durable workflow per attempt, and not one long workflow per job: the queue
/// must be listable, re-prioritised and limited per host with limits that change while running;
/// a row answers all of that with one query. Each attempt still runs as a workflow instance, so it
/// has a journal and progress, and the engine resumes it after a crash. The runner keeps no state
/// of its own: every tick re-reads rows and instances, so a restart loses nothing.
/// </remarks>
public sealed class JobRunner(IServiceProvider services, WorkflowEngineOptions engine, TimeProvider time,
    ILogger<JobRunner> logger) : BackgroundService
{
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(5);

    /// <summary>The workflow that runs one attempt of each job type.</summary>
    public static string WorkflowOf(JobType type) => type == JobType.Compression ? "compress" : "validate";

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing may leave this loop but a stop: an exception out of a BackgroundService stops the
        // whole host, and with it the API that could change a bad setting back.
        var poll = FallbackPoll;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var settings = scope.ServiceProvider.GetRequiredService<BackupSettings>();
                poll = await settings.GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds, stoppingToken);
                await TickAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job runner tick failed; trying again next tick");
            }
            try { await Task.Delay(poll, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (ArgumentOutOfRangeException e)
            {
                logger.LogWarning(e, "Job poll interval {Poll} cannot be waited; waiting {Fallback}", poll, FallbackPoll);
                poll = FallbackPoll;
            }
        }
    }

    /// <summary>One pass: settle running jobs, queue rechecks, start due jobs.</summary>
    internal async Task TickAsync(IServiceProvider sp, CancellationToken ct)
    {
        var db = sp.GetRequiredService<BackupDbContext>();
        var settings = sp.GetRequiredService<BackupSettings>();
        var instances = sp.GetRequiredService<IWorkflowInstanceQueries>();
        var runtime = sp.GetRequiredService<IWorkflowRuntime>();
        var now = time.GetUtcNow();

        var running = await db.Jobs.Where(j => j.State == JobState.Starting || j.State == JobState.Finalizing).ToListAsync(ct);
        foreach (var job in running)
        {
            if (job.InstanceId is null)
            {
                // Claimed but never started: this node died in between (ticks of one node never overlap),
                // or another node did and has been silent for longer than any start takes.
                if (job.ExecutingNode == engine.NodeId || now - (job.StartedAt ?? now) > TimeSpan.FromMinutes(5))
                {
                    job.State = JobState.Scheduled;
                    job.Attempts = Math.Max(0, job.Attempts - 1);
                }
                continue;
            }
            var info = await instances.GetAsync(job.InstanceId, ct);
            if (info is null) { await FailAttemptAsync(settings, job, "its workflow instance is gone", now, ct); continue; }
            if (info.Status == WorkflowStatus.Finished)
            {
                job.State = JobState.Done;
                job.ExecutingNode = null;
                job.Error = null;
            }
            else if (info.Status.IsEnded())
                await FailAttemptAsync(settings, job, info.Fault ?? info.Status.ToString(), now, ct);
            else if (job.Type == JobType.Compression && job.StartedAt is { } started
                     && now - started > await settings.GetDurationAsync(SettingCatalog.CompressionTimeoutSeconds, ct) + TimeSpan.FromMinutes(1))
            {
                // The activity enforces the timeout itself; this catches an instance stuck elsewhere.
                await runtime.CancelAsync(info.Id, ct);
            }
            job.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);

        await sp.GetRequiredService<Validation.ChecksumRecheckScheduler>().QueueDueAsync(ct);

        var active = await db.Jobs.Where(j => j.State == JobState.Starting || j.State == JobState.Finalizing).ToListAsync(ct);
        var due = (await db.Jobs.Where(j => j.State == JobState.Scheduled).ToListAsync(ct))
            .Where(j => j.NextRunAt <= now).OrderBy(j => j.NextRunAt).ToList();
        var compressionOn = await settings.GetBoolAsync(SettingCatalog.CompressionEnabled, ct);
        var globalPerHost = await settings.GetIntAsync(SettingCatalog.CompressionMaxConcurrentPerHost, ct);
        var hostLimits = await db.Hosts.AsNoTracking().ToDictionaryAsync(h => h.Name, h => h.MaxConcurrentCompressions, ct);
        foreach (var job in due)
        {
            if (job.Type == JobType.Compression)
            {
                if (!compressionOn) continue;
                var onHost = active.Count(a => a.Type == JobType.Compression && a.HostName == job.HostName);
                var limit = CompressionLimit.For(hostLimits.GetValueOrDefault(job.HostName, -1), globalPerHost);
                if (limit >= 0 && onHost >= limit) continue;
            }
            // Validations take the host's validation lock inside their workflow: one at a time per host.
            // The claim is one conditional UPDATE, so two nodes never start the same attempt.
            var attempt = job.Attempts + 1;
            var claimed = await db.Jobs.Where(j => j.Id == job.Id && j.State == JobState.Scheduled && j.Attempts == job.Attempts)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.State, JobState.Starting).SetProperty(j => j.Attempts, attempt)
                    .SetProperty(j => j.ExecutingNode, engine.NodeId).SetProperty(j => j.StartedAt, now)
                    .SetProperty(j => j.UpdatedAt, now).SetProperty(j => j.InstanceId, (string?)null), ct);
            if (claimed == 0) continue;
            await db.Entry(job).ReloadAsync(ct);
            var input = new JsonObject { ["backupId"] = job.BackupId.ToString(), ["jobId"] = job.Id.ToString() };
            if (job.Levels is not null) input["levels"] = job.Levels;
            job.InstanceId = await runtime.StartAsync(WorkflowOf(job.Type), input,
                new StartOptions { CorrelationId = $"job:{job.Id}", IdempotencyKey = $"job:{job.Id}:{job.Attempts}" }, ct);
            await db.SaveChangesAsync(ct);
            active.Add(job);
            logger.LogInformation("Job {Job} ({Type}) attempt {Attempt} started as {Instance}", job.Id, job.Type, job.Attempts, job.InstanceId);
        }
    }

    private static async Task FailAttemptAsync(BackupSettings settings, JobRecord job, string error, DateTimeOffset now, CancellationToken ct)
    {
        job.Error = error;
        job.ExecutingNode = null;
        var retries = job.Type == JobType.Compression ? await settings.GetIntAsync(SettingCatalog.CompressionMaxRetries, ct) : 0;
        if (job.Attempts > retries) { job.State = JobState.Failed; return; }
        job.State = JobState.Scheduled;
        job.NextRunAt = now + await settings.GetDurationAsync(SettingCatalog.CompressionRetryIntervalMinutes, ct);
    }
}
