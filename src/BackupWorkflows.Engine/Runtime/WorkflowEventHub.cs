using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Fan-out of runtime events to in-process subscribers; publishing never blocks the engine.</summary>
internal sealed class WorkflowEventHub : IWorkflowEvents
{
    private ImmutableArray<Action<WorkflowEvent>> _handlers = [];

    public void Publish(WorkflowEvent e)
    {
        foreach (var handler in _handlers)
        {
            try { handler(e); }
            catch { /* a subscriber's error must not disturb execution */ }
        }
    }

    public IDisposable Subscribe(Action<WorkflowEvent> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, h => h.Add(handler));
        return new Unsubscriber(() => ImmutableInterlocked.Update(ref _handlers, h => h.Remove(handler)));
    }

    public async IAsyncEnumerable<WorkflowEvent> SubscribeAsync(string? instanceId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<WorkflowEvent>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        using var subscription = Subscribe(e =>
        {
            if (instanceId is null || e.InstanceId == instanceId) channel.Writer.TryWrite(e);
        });
        while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            while (channel.Reader.TryRead(out var e))
                yield return e;
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
