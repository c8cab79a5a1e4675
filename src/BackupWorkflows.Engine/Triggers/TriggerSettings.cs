using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Triggers;

/// <summary>The effective settings of a trigger activity of a definition: its literal inputs over their defaults.</summary>
internal static class TriggerSettings
{
    /// <summary>Every input by name: the definition's literal, else the default.</summary>
    public static JsonObject Of(ActivityDescriptor descriptor, ActivityNode node)
    {
        var settings = new JsonObject();
        foreach (var input in descriptor.Inputs)
        {
            var given = node.Inputs.FirstOrDefault(p => string.Equals(p.Key, input.Name, StringComparison.OrdinalIgnoreCase)).Value;
            settings[input.Name] = (given ?? input.Default)?.DeepClone();
        }
        return settings;
    }

    /// <summary>A trigger object with the settings assigned (to check them and compute its key).</summary>
    public static TriggerActivity Create(ActivityDescriptor descriptor, JsonObject settings)
    {
        var trigger = (TriggerActivity)Activator.CreateInstance(descriptor.ClrType)!;
        foreach (var input in descriptor.Inputs)
            if (settings[input.Name] is { } value)
                descriptor.ClrType.GetProperties().First(p => string.Equals(p.Name, input.Name, StringComparison.OrdinalIgnoreCase))
                    .SetValue(trigger, value.Deserialize(input.ClrType, DefinitionJson.Options));
        return trigger;
    }
}
