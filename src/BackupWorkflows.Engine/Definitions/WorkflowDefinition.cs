using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>
/// A flowchart: activities joined by connections from an outcome port to a target activity.
/// Serialised as camelCase JSON (see the engine README for an example).
/// </summary>
public sealed class WorkflowDefinition
{
    /// <summary>Stable id, e.g. <c>backup-vm</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>Human name.</summary>
    public string Name { get; set; } = "";
    /// <summary>What the workflow does.</summary>
    public string? Description { get; set; }
    /// <summary>Version number, assigned by the store.</summary>
    public int Version { get; set; }
    /// <summary>True for the published version (at most one per id); set by the store.</summary>
    public bool IsPublished { get; set; }
    /// <summary>Inputs the workflow is started with.</summary>
    public List<WorkflowInputDefinition> Inputs { get; set; } = [];
    /// <summary>Variables with their initial values.</summary>
    public List<VariableDefinition> Variables { get; set; } = [];
    /// <summary>The activities (nodes).</summary>
    public List<ActivityNode> Activities { get; set; } = [];
    /// <summary>The connections (edges).</summary>
    public List<Connection> Connections { get; set; } = [];
    /// <summary>Locks taken before the first activity runs and held until the instance ends.</summary>
    public List<LockDeclaration> Locks { get; set; } = [];
}

/// <summary>An input of the workflow.</summary>
public sealed class WorkflowInputDefinition
{
    /// <summary>Name used in bindings (<c>{{ input.name }}</c>).</summary>
    public string Name { get; set; } = "";
    /// <summary>JSON type: string, integer, number, boolean, array, object or any.</summary>
    public string Type { get; set; } = "any";
    /// <summary>Description.</summary>
    public string? Description { get; set; }
    /// <summary>Starting without it (and without a default) is an error.</summary>
    public bool Required { get; set; }
    /// <summary>Value used when the start input lacks it.</summary>
    public JsonNode? Default { get; set; }
}

/// <summary>A workflow variable.</summary>
public sealed class VariableDefinition
{
    /// <summary>Name used in bindings (<c>{{ variables.name }}</c>).</summary>
    public string Name { get; set; } = "";
    /// <summary>JSON type (documentation only).</summary>
    public string Type { get; set; } = "any";
    /// <summary>Initial value.</summary>
    public JsonNode? Default { get; set; }
}

/// <summary>One activity of the flowchart.</summary>
public sealed class ActivityNode
{
    /// <summary>Id unique in the definition; used in connections and <c>{{ steps.id.output }}</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>Activity type name, e.g. <c>Backup.TakeDiskSnapshot</c>.</summary>
    public string Type { get; set; } = "";
    /// <summary>Activity type version; null means the latest at save time (the store fills it in).</summary>
    public int? Version { get; set; }
    /// <summary>Label in the designer.</summary>
    public string? DisplayName { get; set; }
    /// <summary>Input values: JSON literals or strings with <c>{{ path }}</c> bindings.</summary>
    public Dictionary<string, JsonNode?> Inputs { get; set; } = [];
    /// <summary>Overrides of the class's retry policy.</summary>
    public RetryOverride? Retry { get; set; }
    /// <summary>Override of the class's per-attempt timeout.</summary>
    public double? TimeoutSeconds { get; set; }
    /// <summary>Designer position.</summary>
    public Position? Position { get; set; }
}

/// <summary>Per-field overrides of a retry policy; null fields keep the class's value.</summary>
public sealed class RetryOverride
{
    /// <summary>Total attempts.</summary>
    public int? MaxAttempts { get; set; }
    /// <summary>First delay.</summary>
    public double? BaseDelaySeconds { get; set; }
    /// <summary>Delay cap.</summary>
    public double? MaxDelaySeconds { get; set; }
    /// <summary>Jitter on/off.</summary>
    public bool? Jitter { get; set; }
    /// <summary>Extra exception type names (full or short) never retried.</summary>
    public List<string>? NonRetryable { get; set; }
}

/// <summary>A designer position.</summary>
public sealed class Position
{
    /// <summary>X.</summary>
    public double X { get; set; }
    /// <summary>Y.</summary>
    public double Y { get; set; }
}

/// <summary>An edge: when <see cref="Source"/> ends with <see cref="Outcome"/>, <see cref="Target"/> runs.</summary>
public sealed class Connection
{
    /// <summary>Source activity id.</summary>
    public string Source { get; set; } = "";
    /// <summary>Outcome port of the source.</summary>
    public string Outcome { get; set; } = "Done";
    /// <summary>Target activity id.</summary>
    public string Target { get; set; } = "";
}

/// <summary>A lock the whole instance holds; the name may contain bindings (<c>vm:{{ input.vmId }}</c>).</summary>
public sealed class LockDeclaration
{
    /// <summary>Lock name.</summary>
    public string Name { get; set; } = "";
    /// <summary>1 for an exclusive lock, N for a counting semaphore.</summary>
    public int Limit { get; set; } = 1;
}
