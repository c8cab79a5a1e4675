using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// Keeps the database from growing without end: once an hour, deletes Finished and Cancelled
/// workflow instances (with their journals, incidents and progress) that ended more than
/// <c>instances.retention.days</c> ago. Faulted instances stay, so they can still be retried.
/// Several nodes may run it at once: a purge deletes rows another one already deleted as nothing.
/// </summary>
public sealed class InstanceRetention(IServiceProvider services, TimeProvider time, ILogger<InstanceRetention> logger) : BackgroundService
{
    /// <summary>How often it purges.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await PurgeOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogWarning(e, "Purging old workflow instances failed; trying again in {Interval}", Interval); }
            try { await Task.Delay(Interval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One purge by the current setting; returns how many instances went (0 when retention is off).</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var retention = await scope.ServiceProvider.GetRequiredService<BackupSettings>().GetDurationAsync(SettingCatalog.InstancesRetentionDays, ct);
        if (retention <= TimeSpan.Zero) return 0;
        var cutoff = time.GetUtcNow() - retention;
        var purged = await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().PurgeAsync(cutoff, ct);
        logger.Log(purged > 0 ? LogLevel.Information : LogLevel.Debug,
            "Purged {Count} workflow instance(s) that ended before {Cutoff:u}", purged, cutoff);
        return purged;
    }
}
