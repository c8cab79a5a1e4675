using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// Creates the schema, then keeps polling: resumes instances this node owned before a restart,
/// instances whose owner's lease expired (a dead node) and suspended instances whose timer is
/// due; renews the leases of the instances it runs; dispatches the domain events of the outbox. Claiming is a conditional update, so when
/// several nodes poll the same row only one wins.
/// </summary>
internal sealed class EngineHostedService(EngineServices services, InstanceExecutor executor, EventDispatcher events) : BackgroundService
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<EngineHostedService>();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.Database.EnsureReadyAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Renewal has its own loop so a slow claim pass (many instances to resume) never delays it past the lease.
        Task.WhenAll(
            LoopAsync(ClaimDueAsync, services.Options.PollInterval, stoppingToken),
            LoopAsync(executor.RenewLeasesAsync, services.Options.LeaseDuration / 3, stoppingToken),
            events.RunAsync(stoppingToken));

    private async Task LoopAsync(Func<CancellationToken, Task> pass, TimeSpan interval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
                await Task.Delay(interval, services.Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception e)
            {
                _logger.LogError(e, "Workflow engine background pass failed; retrying.");
                try { await Task.Delay(interval, services.Time, stoppingToken); }
                catch (OperationCanceledException) { }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await executor.StopAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Finds and claims every instance this node may run now.</summary>
    private async Task ClaimDueAsync(CancellationToken ct)
    {
        var node = services.Options.NodeId;
        var now = services.NowMs;
        const int running = (int)WorkflowStatus.Running, waiting = (int)WorkflowStatus.Waiting, suspended = (int)WorkflowStatus.Suspended;
        List<(string Id, int Status)> candidates;
        await using (var db = await services.Database.CreateAsync(ct))
        {
            var rows = await db.Instances
                .Where(i => ((i.Status == running || i.Status == waiting) && (i.OwnerNode == node || i.OwnerNode == null || i.LeaseExpiresAt < now))
                            || (i.Status == suspended && i.ResumeAt <= now && (i.OwnerNode == null || i.LeaseExpiresAt < now)))
                .OrderBy(i => i.UpdatedAt).Select(i => new { i.Id, i.Status }).Take(200).ToListAsync(ct);
            candidates = rows.Select(r => (r.Id, r.Status)).ToList();
        }
        foreach (var (id, status) in candidates)
        {
            if (!executor.TryReserve(id)) continue;
            if (await TryClaimAsync(id, status, ct)) executor.Launch(id);
            else executor.Unreserve(id);
        }
    }

    private async Task<bool> TryClaimAsync(string id, int status, CancellationToken ct)
    {
        var node = services.Options.NodeId;
        var now = services.NowMs;
        var expires = now + (long)services.Options.LeaseDuration.TotalMilliseconds;
        await using var db = await services.Database.CreateAsync(ct);
        var claimed = await db.Instances
            .Where(i => i.Id == id && i.Status == status && (i.OwnerNode == node || i.OwnerNode == null || i.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.OwnerNode, node).SetProperty(i => i.LeaseExpiresAt, expires), ct);
        if (claimed == 1) _logger.LogInformation("Node {Node} resumes instance {Instance}.", node, id);
        return claimed == 1;
    }
}
