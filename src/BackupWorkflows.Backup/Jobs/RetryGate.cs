using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>
/// Counts the attempts of a retried workflow in a variable: <c>Retry</c> (with the wait before
/// the next attempt) while attempts remain, <c>GiveUp</c> after the last one.
/// </summary>
/// <remarks>
/// Kept for one thing the engine's retries cannot do: retry a whole stretch of a flowchart after
/// a cleanup branch. <c>backup-with-retry</c> runs <c>backup</c> as a child (whose failure branch thaws,
/// undoes the snapshot and deletes partial files) and, on its failure, waits and runs a new child, which
/// decides full or incremental again; the engine retries one
/// activity (in process, or durably with <see cref="Engine.Activities.ActivityContext.RetryDurably"/>),
/// never a sequence. Jobs (compression, validation) do not use it: their retries are the engine's.
/// </remarks>
[Activity("Backup.RetryGate", Category = "Backup", DisplayName = "Retry gate",
    Description = "Retry while attempts remain (counts them in a variable), else give up.")]
[Outcomes("Retry", "GiveUp")]
public sealed class RetryGate : Activity
{
    [Input(Description = "Variable holding the number of attempts made so far.", Default = "attempt")]
    public string Variable { get; set; } = "attempt";

    [Input(Description = "Retries after the first attempt.", Default = 2)]
    public int MaxRetries { get; set; } = 2;

    [Input(Description = "Seconds to wait before the next attempt.", Default = 3600.0)]
    public double DelaySeconds { get; set; } = 3600;

    [Output(Description = "Seconds to wait before the next attempt.")]
    public double WaitSeconds { get; set; }

    [Output(Description = "Attempts made so far.")]
    public int Attempts { get; set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Attempts = Math.Max(1, context.GetVariable<int>(Variable));
        if (Attempts > MaxRetries)
        {
            context.Journal($"attempt {Attempts} failed; no retries left ({MaxRetries})");
            return new(ActivityResult.Outcome("GiveUp"));
        }
        context.SetVariable(Variable, Attempts + 1);
        WaitSeconds = Math.Max(0, DelaySeconds);
        context.Journal($"attempt {Attempts} failed; attempt {Attempts + 1} in {WaitSeconds} s");
        return new(ActivityResult.Outcome("Retry"));
    }
}
