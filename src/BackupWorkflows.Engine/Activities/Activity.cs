namespace BackupWorkflows.Engine.Activities;

/// <summary>
/// Base of every activity. The engine creates a fresh object per execution attempt with
/// <c>ActivatorUtilities</c> (constructor injection), assigns evaluated inputs to the
/// <see cref="InputAttribute"/> properties, calls <see cref="ExecuteAsync"/>, then reads the
/// <see cref="OutputAttribute"/> properties.
/// </summary>
/// <remarks>
/// An activity that was running when the process died runs again on resume
/// (<see cref="ActivityContext.IsResume"/>), so activities must be idempotent or detect their own
/// earlier partial work.
/// </remarks>
public abstract class Activity
{
    /// <summary>Does the work and says which outcome(s) to follow.</summary>
    public abstract ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);
}
