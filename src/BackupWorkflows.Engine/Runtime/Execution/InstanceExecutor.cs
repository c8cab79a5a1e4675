using System.Collections.Concurrent;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// The instances this node executes. An id is reserved before its row is claimed or inserted,
/// so the resume poll never starts a second runner for an instance this node is about to run.
/// </summary>
internal sealed class InstanceExecutor(EngineServices services) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Slot> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _concurrency = new(services.Options.MaxConcurrentInstances);
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<InstanceExecutor>();
    private volatile bool _stopping;

    public IReadOnlyCollection<string> ActiveIds => _active.Keys.ToList();

    /// <summary>Reserves an id; false when this node already runs (or is starting) it.</summary>
    public bool TryReserve(string instanceId) => !_stopping && _active.TryAdd(instanceId, new Slot());

    public void Unreserve(string instanceId) => _active.TryRemove(instanceId, out _);

    /// <summary>True when a new instance would start executing at once (no queue for a slot).</summary>
    public bool HasFreeSlot => _concurrency.CurrentCount > 0;

    /// <summary>Runs a reserved instance in the background; <paramref name="prepared"/> is a runner made by the start path.</summary>
    public void Launch(string instanceId, InstanceRunner? prepared = null)
    {
        var slot = _active[instanceId];
        slot.Task = Task.Run(() => RunAsync(instanceId, slot, prepared));
    }

    private async Task RunAsync(string instanceId, Slot slot, InstanceRunner? prepared)
    {
        var runner = prepared;
        await _concurrency.WaitAsync();
        try
        {
            if (runner is null)
            {
                var db = await services.Database.CreateAsync();
                var record = await db.Instances.AsTracking().FirstAsync(i => i.Id == instanceId);
                var plan = await services.Plans.GetAsync(record.DefinitionId, record.DefinitionVersion);
                runner = new InstanceRunner(services, db, record, plan);
            }
            slot.Runner = runner;
            if (slot.CancelRequested) runner.RequestCancel();
            if (_stopping) runner.RequestStop();
            await runner.RunAsync();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Instance {Instance} stopped with an engine error.", instanceId);
            if (!_stopping) await FaultAsync(instanceId, e);
        }
        finally
        {
            // Unpublish the runner before disposing it, so cancel/stop requests never reach a disposed one.
            slot.Runner = null;
            _active.TryRemove(instanceId, out _);
            if (runner is not null) await runner.DisposeAsync();
            _concurrency.Release();
        }
    }

    /// <summary>Waits until a runner of the instance on this node (if any) has ended, up to 30 s.</summary>
    public async Task WhenStoppedAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(instanceId, out var slot) && slot.Task is { } task)
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30), services.Time, cancellationToken));
    }

    /// <summary>
    /// Faults an instance whose runner failed outside any activity (e.g. an activity type missing on
    /// this node): without this the resume poll would claim and fail it again forever. A retry
    /// resumes it once the cause is fixed. When the database itself is down this fails too, and
    /// the instance is simply resumed later.
    /// </summary>
    private async Task FaultAsync(string instanceId, Exception e)
    {
        try
        {
            var node = services.Options.NodeId;
            var now = services.NowMs;
            int[] active = [(int)WorkflowStatus.Running, (int)WorkflowStatus.Waiting, (int)WorkflowStatus.Suspended];
            await using var db = await services.Database.CreateAsync();
            await db.Instances.Where(i => i.Id == instanceId && i.OwnerNode == node && active.Contains(i.Status))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, (int)WorkflowStatus.Faulted)
                    .SetProperty(i => i.Fault, $"Engine error: {FaultText.Of(e)}")
                    .SetProperty(i => i.OwnerNode, (string?)null).SetProperty(i => i.EndedAt, now).SetProperty(i => i.UpdatedAt, now));
        }
        catch (Exception again)
        {
            _logger.LogWarning(again, "Could not mark instance {Instance} faulted; it is resumed later.", instanceId);
        }
    }

    /// <summary>Cancels the instance if it runs here; false otherwise.</summary>
    public bool Cancel(string instanceId)
    {
        if (!_active.TryGetValue(instanceId, out var slot)) return false;
        slot.CancelRequested = true;
        slot.Runner?.RequestCancel();
        return true;
    }

    public IReadOnlyList<ActivityProgress>? GetProgress(string instanceId) =>
        _active.TryGetValue(instanceId, out var slot) ? slot.Runner?.Progress.Current : null;

    /// <summary>Renews the leases of running instances; stops those taken over and cancels those whose cancel was requested elsewhere.</summary>
    public async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        var ids = _active.Keys.ToList();
        if (ids.Count == 0) return;
        var node = services.Options.NodeId;
        var expires = services.NowMs + (long)services.Options.LeaseDuration.TotalMilliseconds;
        await using var db = await services.Database.CreateAsync(cancellationToken);
        await db.Instances.Where(i => ids.Contains(i.Id) && i.OwnerNode == node)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseExpiresAt, expires), cancellationToken);
        var rows = await db.Instances.Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, i.OwnerNode, i.CancelRequested }).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (!_active.TryGetValue(row.Id, out var slot) || slot.Runner is null) continue;
            if (row.OwnerNode != node && row.OwnerNode is not null) slot.Runner.RequestStop();
            else if (row.CancelRequested) slot.Runner.RequestCancel();
        }
    }

    /// <summary>Stops every runner (they keep their state and give up their leases) and waits for them.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stopping = true;
        foreach (var slot in _active.Values) slot.Runner?.RequestStop();
        var tasks = _active.Values.Select(s => s.Task).OfType<Task>().ToArray();
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(timeout, services.Time));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _concurrency.Dispose();
    }

    private sealed class Slot
    {
        public volatile InstanceRunner? Runner;
        public volatile bool CancelRequested;
        public Task? Task;
    }
}
