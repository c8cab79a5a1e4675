using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Events;

namespace BackupWorkflows.Engine.Activities.Triggers;

/// <summary>
/// Starts the workflow when the product raises a domain event (<see cref="DomainEventNames.All"/>) whose payload
/// matches the filter: each of <see cref="Vm"/>, <see cref="Offering"/>, <see cref="Host"/> and <see cref="Result"/>
/// that is set must equal the payload's field exactly. The instance's input is <see cref="Input"/> with the payload's
/// fields that the workflow declares as inputs over it; the whole payload is recorded as the instance's origin.
/// </summary>
[Activity(TypeName, Category = "Triggers", DisplayName = "Event",
    Description = "Starts the workflow when a domain event (backup.failed, …) matching the filter is raised; its fields are the input.")]
public sealed class EventTrigger : TriggerActivity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Trigger.Event";

    /// <summary>The event's name.</summary>
    [Input(Description = "backup.completed, backup.failed, restore.completed, restore.failed, validation.finished or job.failed.",
        UIHint = "dropdown", Required = true)]
    public string Event { get; set; } = "";

    /// <summary>Only events of this VM (empty: any).</summary>
    [Input(Description = "Only events of this VM (exact name; empty: any).")]
    public string? Vm { get; set; }

    /// <summary>Only events of VMs in this offering (empty: any).</summary>
    [Input(Description = "Only events of VMs in this offering (exact name; empty: any).")]
    public string? Offering { get; set; }

    /// <summary>Only events on this host (empty: any).</summary>
    [Input(Description = "Only events on this host (exact name; empty: any).")]
    public string? Host { get; set; }

    /// <summary>Only events with this result (empty: any).</summary>
    [Input(Description = "Only events with this result, e.g. failed for validation.finished (exact; empty: any).")]
    public string? Result { get; set; }

    /// <summary>Input each instance starts with, under the event's fields (e.g. a webhook URL).</summary>
    [Input(Description = "Workflow input each instance starts with (JSON object), e.g. a webhook URL; the event's fields the workflow declares go over it.",
        UIHint = "json")]
    public JsonObject? Input { get; set; }

    /// <inheritdoc />
    public override IEnumerable<(string Input, string Problem)> CheckSettings()
    {
        if (!DomainEventNames.All.Contains(Event))
            yield return ("event", $"must be one of {string.Join(", ", DomainEventNames.All)}");
    }

    /// <summary>True when every filter field set in <paramref name="settings"/> equals the payload's field.</summary>
    public static bool Matches(JsonObject settings, JsonObject payload) =>
        DomainEventNames.FilterFields.All(field =>
            settings[field]?.GetValue<string>() is not { Length: > 0 } wanted
            || (payload[field] is JsonValue value && value.ToString() == wanted));
}
