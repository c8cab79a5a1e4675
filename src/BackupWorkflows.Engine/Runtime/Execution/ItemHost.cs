using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Locks;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>The runner's services as seen by one running item's <see cref="ActivityContext"/>.</summary>
internal sealed class ItemHost(InstanceRunner runner, RunningItem item) : IActivityExecutionHost
{
    public void ReportProgress(string activityId, long done, long total, string? message) =>
        runner.Progress.Report(activityId, done, total, message);

    public JsonNode? GetVariable(string name)
    {
        lock (item.VariableWrites)
            if (item.VariableWrites.TryGetValue(name, out var written)) return written;
        return runner.ReadVariable(name);
    }

    public void SetVariable(string name, JsonNode? value)
    {
        lock (item.VariableWrites) item.VariableWrites[name] = value;
    }

    public async ValueTask<IAsyncDisposable> AcquireLockAsync(string name, int limit, CancellationToken cancellationToken)
    {
        var claim = await runner.AcquireLockAsync(name, limit, cancellationToken);
        return new LockHandle(runner.Services.Locks, claim);
    }

    public async ValueTask<IAsyncDisposable> AcquireLockAsync(string name, Func<CancellationToken, ValueTask<int>> limit, CancellationToken cancellationToken)
    {
        var claim = await runner.AcquireLockAsync(name, limit, cancellationToken);
        return new LockHandle(runner.Services.Locks, claim);
    }

    public void RetryDurably(int maxAttempts, TimeSpan interval) => item.DurableRetry = (maxAttempts, interval);

    public void AddJournalLine(string activityId, string message)
    {
        lock (item.Lines) item.Lines.Add(message);
    }
}
