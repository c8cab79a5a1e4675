using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Checks a start input against the definition's declared inputs and fills in defaults.</summary>
/// <remarks>The engine is the one owner of inputs, so every entry point (API, schedules, jobs,
/// triggers) gets the same answer. An input the definition does not declare is refused: nothing
/// would read it, and dropping it silently once made a restore ignore the host it was given.</remarks>
internal static class StartInput
{
    public static JsonObject Complete(WorkflowDefinition definition, JsonObject? input)
    {
        var result = (JsonObject?)input?.DeepClone() ?? [];
        var problems = new List<(string Input, string Problem)>();
        var declaredNames = definition.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in result)
            if (!declaredNames.Contains(name))
                problems.Add((name, $"'{name}' is not an input of workflow '{definition.Id}' (its inputs: {Names(declaredNames)})"));
        foreach (var declared in definition.Inputs)
        {
            var value = result[declared.Name];
            if (value is null && declared.Default is not null) result[declared.Name] = value = declared.Default.DeepClone();
            if (value is null)
            {
                if (declared.Required) problems.Add((declared.Name, $"'{declared.Name}' is required"));
                continue;
            }
            if (!Matches(declared.Type, value)) problems.Add((declared.Name, $"'{declared.Name}' must be {declared.Type}, got {value.ToJsonString()}"));
        }
        if (problems.Count > 0) throw new WorkflowInputException(definition.Id, problems);
        return result;
    }

    private static string Names(IReadOnlySet<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal));

    private static bool Matches(string type, JsonNode value) => (type.ToLowerInvariant(), value.GetValueKind()) switch
    {
        ("string", var k) => k == JsonValueKind.String,
        ("integer", JsonValueKind.Number) => decimal.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var d) && d % 1 == 0,
        ("number", var k) => k == JsonValueKind.Number,
        ("boolean", var k) => k is JsonValueKind.True or JsonValueKind.False,
        ("array", var k) => k == JsonValueKind.Array,
        ("object", var k) => k == JsonValueKind.Object,
        _ => true,
    };
}
