using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>The JSON conventions of definitions, inputs and outputs: camelCase, enums as strings.</summary>
public static class DefinitionJson
{
    /// <summary>Options used for definitions, activity inputs/outputs and variables.</summary>
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    /// <summary>Same as <see cref="Options"/>, indented (exports).</summary>
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Parses a definition; throws <see cref="WorkflowFormatException"/> with the line and position on bad JSON.</summary>
    public static WorkflowDefinition Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkflowDefinition>(json, Options)
                ?? throw new WorkflowFormatException("The workflow definition JSON is empty (null).");
        }
        catch (JsonException e)
        {
            throw new WorkflowFormatException($"The workflow definition is not valid: {JsonErrorText.Describe(e)}", e);
        }
    }

    /// <summary>Writes a definition as JSON.</summary>
    public static string Write(WorkflowDefinition definition, bool indented = false) =>
        JsonSerializer.Serialize(definition, indented ? Indented : Options);
}
