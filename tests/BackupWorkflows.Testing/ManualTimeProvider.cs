namespace BackupWorkflows.Testing;

/// <summary>A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing is not served here).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (this) _now += by;
    }
}
