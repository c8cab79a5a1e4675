namespace BackupWorkflows.Testing;

/// <summary>
/// Waits for a state, not for a time: asks again every 200 ms until the state holds or the time is up, then fails
/// naming what it waited for. The one polling loop of the tests.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Asks <paramref name="probe"/> until it answers non-null, and returns that answer.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> (default 30 s).</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } answer) return answer;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting: {what}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>Asks <paramref name="probe"/> until it answers true.</summary>
    /// <exception cref="TimeoutException">Not true within <paramref name="timeout"/> (default 30 s).</exception>
    public static Task UntilAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        UntilAsync<object>(async () => await probe() ? new object() : null, what, timeout);

    /// <summary>Checks <paramref name="condition"/> until it is true.</summary>
    /// <exception cref="TimeoutException">Not true within <paramref name="timeout"/> (default 30 s).</exception>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync<object>(() => Task.FromResult(condition() ? new object() : null), what, timeout);
}
