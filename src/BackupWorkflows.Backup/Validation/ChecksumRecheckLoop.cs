using BackupWorkflows.Backup.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Every <c>jobs.poll.interval.seconds</c>, queues the checksum re-checks that are due
/// (<see cref="ChecksumRecheckScheduler"/>). It only starts workflow instances; their waiting,
/// limits and retries are the engine's.
/// </summary>
public sealed class ChecksumRecheckLoop(IServiceProvider services, TimeProvider time, ILogger<ChecksumRecheckLoop> logger) : BackgroundService
{
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(5);

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
                poll = await scope.ServiceProvider.GetRequiredService<BackupSettings>().GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<ChecksumRecheckScheduler>().QueueDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogWarning(e, "Queueing checksum re-checks failed; trying again next time"); }
            try { await Task.Delay(poll, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (ArgumentOutOfRangeException e)
            {
                logger.LogWarning(e, "Poll interval {Poll} cannot be waited; waiting {Fallback}", poll, FallbackPoll);
                poll = FallbackPoll;
            }
        }
    }
}
