namespace BackupWorkflows.Server.Schedules;

/// <summary>
/// The firings of schedules running on this node, so that deleting a schedule can wait for them: once the delete has
/// returned, no backup of that schedule starts any more.
/// </summary>
/// <remarks>
/// Quartz does not wait for a running job when its job is deleted. A firing registers here before it reads its
/// schedule; a delete removes the schedule's record first and then waits, so a firing either read the record before
/// the removal (and is waited for) or finds it gone (and starts nothing). Quartz's list of executing jobs is per node
/// as well; a firing on another node of a cluster is not waited for.
/// </remarks>
public sealed class ScheduleFirings
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Count, TaskCompletionSource Idle)> _running = new(StringComparer.Ordinal);

    /// <summary>Marks a firing of <paramref name="scheduleId"/> as running until the result is disposed.</summary>
    public IDisposable Begin(string scheduleId)
    {
        lock (_lock)
        {
            _running[scheduleId] = _running.TryGetValue(scheduleId, out var entry)
                ? (entry.Count + 1, entry.Idle)
                : (1, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        return new Firing(this, scheduleId);
    }

    /// <summary>Completes when no firing of <paramref name="scheduleId"/> runs on this node.</summary>
    public Task WhenIdleAsync(string scheduleId, CancellationToken ct)
    {
        lock (_lock) return _running.TryGetValue(scheduleId, out var entry) ? entry.Idle.Task.WaitAsync(ct) : Task.CompletedTask;
    }

    private void End(string scheduleId)
    {
        lock (_lock)
        {
            var (count, idle) = _running[scheduleId];
            if (count > 1) { _running[scheduleId] = (count - 1, idle); return; }
            _running.Remove(scheduleId);
            idle.SetResult();
        }
    }

    private sealed class Firing(ScheduleFirings firings, string scheduleId) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) firings.End(scheduleId);
        }
    }
}
