namespace BackupWorkflows.Engine.Activities.Triggers;

/// <summary>
/// Base of trigger activities (Elsa 3's shape: triggers are activities of the workflow). When a
/// version is published, its trigger activities are indexed (<see cref="Engine.Triggers.IWorkflowTriggers"/>)
/// and the host dispatches them (a Quartz cron job, an HTTP route); an instance a trigger starts begins at
/// that trigger activity, which passes straight on. Trigger inputs are settings read at publish time, so
/// they must be literals; nothing may connect into a trigger.
/// </summary>
public abstract class TriggerActivity : Activity
{
    /// <summary>Problems of the settings (the literal inputs assigned to this object), by input name.</summary>
    public abstract IEnumerable<(string Input, string Problem)> CheckSettings();

    /// <summary>
    /// A key that must be unique among the triggers of this type across published workflows (an HTTP
    /// method and path), or null when each workflow's trigger is on its own (a cron).
    /// </summary>
    public virtual string? UniqueKey => null;

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done);
}
