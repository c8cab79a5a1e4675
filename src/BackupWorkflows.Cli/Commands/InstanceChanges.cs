using BackupWorkflows.Cli.Client;

namespace BackupWorkflows.Cli.Commands;

/// <summary>
/// Tells a waiting command when its instance changed: it follows the server's events of that instance
/// (<c>GET /api/events?instanceId=</c>) and wakes the waiter at once, instead of the waiter finding the
/// change on its next poll (every 500 ms, so on average 250 ms late at the end of every backup). Polling
/// stays as the fallback: a missed event, a stream the server or a proxy closes, or a node of a cluster
/// that does not run the instance only make the wait as slow as before.
/// </summary>
internal sealed class InstanceChanges : IAsyncDisposable
{
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly Task _follow;

    /// <summary>Starts following the events of instance <paramref name="instanceId"/>.</summary>
    public InstanceChanges(ApiClient api, string instanceId, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _follow = Task.Run(async () =>
        {
            try
            {
                await api.FollowEventsAsync($"api/events?instanceId={Uri.EscapeDataString(instanceId)}", _ => Signal(), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or ApiError or IOException)
            {
                // Polling alone from here on.
            }
        });
    }

    /// <summary>Returns when an event arrives, or after the fallback poll interval.</summary>
    public Task NextAsync(CancellationToken ct) => _changed.WaitAsync(FallbackPoll, ct);

    private void Signal()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _follow;
        _stop.Dispose();
        _changed.Dispose();
    }
}
