using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BackupWorkflows.Engine.Activities;

/// <summary>What the studio and the validator know about an activity type; serialises to JSON.</summary>
public sealed record ActivityDescriptor
{
    /// <summary>Stable type name.</summary>
    public required string Type { get; init; }
    /// <summary>Contract version.</summary>
    public required int Version { get; init; }
    /// <summary>Toolbox group.</summary>
    public string? Category { get; init; }
    /// <summary>Human name.</summary>
    public required string DisplayName { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Inputs in declaration order.</summary>
    public required IReadOnlyList<InputDescriptor> Inputs { get; init; }
    /// <summary>Outputs in declaration order.</summary>
    public required IReadOnlyList<OutputDescriptor> Outputs { get; init; }
    /// <summary>Outcome (port) names.</summary>
    public required IReadOnlyList<string> Outcomes { get; init; }
    /// <summary>True when any outcome name is accepted (Switch cases, Fork branches).</summary>
    public bool DynamicOutcomes { get; init; }
    /// <summary>True for trigger activities (<c>Trigger.*</c>): they start the workflow and nothing connects into them.</summary>
    public bool IsTrigger { get; init; }
    /// <summary>Default retry policy from <see cref="RetryAttribute"/>, if declared.</summary>
    public RetryPolicy? Retry { get; init; }
    /// <summary>Default per-attempt timeout from <see cref="TimeoutAttribute"/>, if declared.</summary>
    public double? TimeoutSeconds { get; init; }
    /// <summary>The implementing class (not serialised).</summary>
    [JsonIgnore] public Type ClrType { get; init; } = typeof(object);
}

/// <summary>One input of an activity.</summary>
public sealed record InputDescriptor
{
    /// <summary>camelCase name used in definitions.</summary>
    public required string Name { get; init; }
    /// <summary>JSON type: string, integer, number, boolean, array, object or any.</summary>
    public required string Type { get; init; }
    /// <summary>Editor hint.</summary>
    public string? UIHint { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Must be given (or defaulted).</summary>
    public bool Required { get; init; }
    /// <summary>Masked in the journal.</summary>
    public bool Sensitive { get; init; }
    /// <summary>Default value.</summary>
    public JsonNode? Default { get; init; }
    /// <summary>The property's CLR type (not serialised).</summary>
    [JsonIgnore] public Type ClrType { get; init; } = typeof(object);
}

/// <summary>One output of an activity.</summary>
public sealed record OutputDescriptor
{
    /// <summary>camelCase name used in bindings (<c>{{ steps.id.name }}</c>).</summary>
    public required string Name { get; init; }
    /// <summary>JSON type.</summary>
    public required string Type { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
}

/// <summary>An effective retry policy (class attribute, then definition override).</summary>
public sealed record RetryPolicy
{
    /// <summary>Total attempts including the first.</summary>
    public int MaxAttempts { get; init; } = 1;
    /// <summary>Delay before the first retry, doubling after.</summary>
    public double BaseDelaySeconds { get; init; } = 1;
    /// <summary>Cap of one delay.</summary>
    public double MaxDelaySeconds { get; init; } = 60;
    /// <summary>Randomised delays.</summary>
    public bool Jitter { get; init; } = true;
    /// <summary>Exception type names (full or short) never retried.</summary>
    public IReadOnlyList<string> NonRetryable { get; init; } = [];
}

/// <summary>The activity types known to the engine.</summary>
public interface IActivityRegistry
{
    /// <summary>All descriptors, every version.</summary>
    IReadOnlyList<ActivityDescriptor> Descriptors { get; }

    /// <summary>Finds a type; <paramref name="version"/> null means the highest version.</summary>
    ActivityDescriptor? Find(string type, int? version = null);
}
