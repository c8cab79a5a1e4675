using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Triggers;

namespace BackupWorkflows.Engine.Activities.Triggers;

/// <summary>
/// Starts the workflow at every firing of a cron expression (seconds allowed) in a time zone, with a fixed
/// input. The host fires it through Quartz's clustered store: one instance per firing across nodes.
/// </summary>
[Activity(TypeName, Category = "Triggers", DisplayName = "Cron",
    Description = "Starts the workflow on a cron schedule (seconds allowed) with a fixed input.")]
public sealed class CronTrigger : TriggerActivity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Trigger.Cron";

    /// <summary>hourly, daily, weekly, monthly, a 5-field Unix cron or a 6/7-field Quartz cron (seconds first).</summary>
    [Input(Description = "hourly, daily, weekly, monthly, Unix cron (5 fields) or Quartz cron with seconds (6-7 fields, e.g. */10 * * * * ?).", Required = true)]
    public string Cron { get; set; } = "";

    /// <summary>IANA time zone the expression is read in.</summary>
    [Input(Description = "IANA time zone, e.g. Europe/Berlin (default UTC).", Default = "UTC")]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The input each instance starts with.</summary>
    [Input(Description = "The workflow input of each instance (JSON object).", UIHint = "json")]
    public JsonObject? Input { get; set; }

    /// <inheritdoc />
    public override IEnumerable<(string Input, string Problem)> CheckSettings()
    {
        foreach (var problem in ScheduleCron.Read(Cron, TimeZone ?? "").Problems) yield return problem;
    }
}
