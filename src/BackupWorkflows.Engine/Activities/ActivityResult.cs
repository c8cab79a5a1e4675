namespace BackupWorkflows.Engine.Activities;

/// <summary>What an activity execution ended with: the outcomes to follow, or a durable timer.</summary>
public sealed class ActivityResult
{
    private static readonly ActivityResult DoneResult = new(["Done"], null);

    private ActivityResult(IReadOnlyList<string> outcomes, DateTimeOffset? resumeAt)
    {
        OutcomeNames = outcomes;
        ResumeAt = resumeAt;
    }

    /// <summary>Outcomes whose connections are followed (several for a fork).</summary>
    public IReadOnlyList<string> OutcomeNames { get; }

    /// <summary>When set, the activity is suspended and executed again at this time.</summary>
    public DateTimeOffset? ResumeAt { get; }

    /// <summary>True when the workflow ends here (Finish); other branches are stopped.</summary>
    internal bool FinishesWorkflow { get; private init; }

    /// <summary>The outcome <c>Done</c>.</summary>
    public static ActivityResult Done => DoneResult;

    /// <summary>One named outcome, e.g. <c>Full</c>.</summary>
    public static ActivityResult Outcome(string name) => name == "Done" ? DoneResult : new([name], null);

    /// <summary>Several outcomes followed in parallel (fork).</summary>
    public static ActivityResult Outcomes(params string[] names) => new(names.Distinct().ToArray(), null);

    /// <summary>
    /// Durable timer: the instance is suspended (it survives restarts) and this activity runs
    /// again at <paramref name="resumeAt"/> with <see cref="ActivityContext.SuspendedUntil"/> set.
    /// </summary>
    public static ActivityResult SuspendUntil(DateTimeOffset resumeAt) => new([], resumeAt);

    internal static ActivityResult Finish() => new([], null) { FinishesWorkflow = true };
}
