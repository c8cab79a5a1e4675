using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Server.Apis;

/// <summary>An activity type as the studio reads it (docs/api.md): input types as simple names; <c>IsTrigger</c> for
/// trigger activities (Trigger.*), which start the workflow and take no incoming connection.</summary>
public sealed record ActivityDescriptorDto(string Type, int Version, string? Category, string DisplayName, string? Description,
    IReadOnlyList<ActivityInputDto> Inputs, IReadOnlyList<ActivityOutputDto> Outputs, IReadOnlyList<string> Outcomes, bool DynamicOutcomes,
    bool IsTrigger = false)
{
    /// <summary>Maps an engine descriptor.</summary>
    public static ActivityDescriptorDto From(ActivityDescriptor d) => new(d.Type, d.Version, d.Category, d.DisplayName, d.Description,
        [.. d.Inputs.Select(i => new ActivityInputDto(i.Name, SimpleType(i.ClrType), i.UIHint, i.Description, i.Required, i.Sensitive, i.Default))],
        [.. d.Outputs.Select(o => new ActivityOutputDto(o.Name, o.Type, o.Description))], d.Outcomes, d.DynamicOutcomes, d.IsTrigger);

    /// <summary>string, int, long, bool, double, string[], object or json.</summary>
    internal static string SimpleType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsEnum || type == typeof(Guid)) return "string";
        if (type == typeof(int) || type == typeof(short) || type == typeof(byte)) return "int";
        if (type == typeof(long)) return "long";
        if (type == typeof(bool)) return "bool";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "double";
        if (type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "string";
        if (typeof(JsonNode).IsAssignableFrom(type) || type == typeof(System.Text.Json.JsonElement) || type == typeof(object)) return "json";
        if (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            && (type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault()) == typeof(string)) return "string[]";
        return "object";
    }
}

/// <summary>An input of an activity type.</summary>
public sealed record ActivityInputDto(string Name, string Type, string? UiHint, string? Description, bool Required, bool Sensitive, JsonNode? Default);

/// <summary>An output of an activity type.</summary>
public sealed record ActivityOutputDto(string Name, string Type, string? Description);
