using System.Collections.Concurrent;
using System.Reflection;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Activities.Flow;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// A published definition version compiled for execution: lookups by activity and outcome,
/// effective policies, and cached reflection. Published versions are immutable, so plans are
/// cached for the life of the process.
/// </summary>
internal sealed class ExecutionPlan
{
    public required WorkflowDefinition Definition { get; init; }
    public required IReadOnlyDictionary<string, PlannedActivity> Activities { get; init; }
    public required IReadOnlyList<string> Entries { get; init; }

    /// <summary>Where a start that names no trigger begins (see <see cref="FlowGraph.ManualEntries"/>).</summary>
    public required IReadOnlyList<string> ManualEntries { get; init; }

    /// <summary>Targets of (source, outcome).</summary>
    public required IReadOnlyDictionary<(string Source, string Outcome), string[]> Next { get; init; }

    /// <summary>For Join activities: the distinct sources that must arrive before it runs.</summary>
    public required IReadOnlyDictionary<string, string[]> JoinSources { get; init; }

    public bool HasConnection(string source, string outcome) => Next.ContainsKey((source, outcome));
}

/// <summary>One activity of a plan.</summary>
internal sealed class PlannedActivity
{
    public required ActivityNode Node { get; init; }
    public required ActivityDescriptor Descriptor { get; init; }
    public required RetryPolicy Retry { get; init; }
    public required TimeSpan? Timeout { get; init; }
    public required ObjectFactory Factory { get; init; }
    public required (Activities.InputDescriptor Input, PropertyInfo Property)[] Inputs { get; init; }
    public required (string Name, PropertyInfo Property)[] Outputs { get; init; }
    public JoinMode? JoinMode { get; init; }
    public string TypeLabel => $"{Descriptor.Type}@{Descriptor.Version}";
}

/// <summary>Loads and compiles plans once per definition version.</summary>
internal sealed class PlanCache(EngineDatabase database, IActivityRegistry registry, WorkflowEngineOptions options)
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();
    private readonly ConcurrentDictionary<(string, int), Task<ExecutionPlan>> _plans = new();

    public async Task<ExecutionPlan> GetAsync(string id, int version)
    {
        var task = _plans.GetOrAdd((id, version), key => LoadAsync(key.Item1, key.Item2));
        try { return await task; }
        catch
        {
            _plans.TryRemove(KeyValuePair.Create((id, version), task));
            throw;
        }
    }

    private async Task<ExecutionPlan> LoadAsync(string id, int version)
    {
        await using var db = await database.CreateAsync();
        var record = await db.Definitions.IgnoreQueryFilters().FirstOrDefaultAsync(d => d.Id == id && d.Version == version)
            ?? throw new WorkflowDefinitionNotFoundException(id, version);
        return Compile(DefinitionStore.ToDefinition(record));
    }

    public ExecutionPlan Compile(WorkflowDefinition definition)
    {
        var activities = new Dictionary<string, PlannedActivity>(StringComparer.Ordinal);
        foreach (var node in definition.Activities)
        {
            var descriptor = registry.Find(node.Type, node.Version) ?? throw new WorkflowEngineException(
                $"Workflow '{definition.Id}' v{definition.Version}: activity type {node.Type} v{node.Version} is not registered on this node.");
            var type = descriptor.ClrType;
            activities[node.Id] = new PlannedActivity
            {
                Node = node,
                Descriptor = descriptor,
                Retry = EffectiveRetry(descriptor.Retry ?? options.DefaultRetry, node.Retry),
                Timeout = (node.TimeoutSeconds ?? descriptor.TimeoutSeconds) is { } s ? TimeSpan.FromSeconds(s) : null,
                Factory = Factories.GetOrAdd(type, t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes)),
                Inputs = descriptor.Inputs.Select(i => (i, type.GetProperty(PropertyName(type, i.Name))!)).ToArray(),
                Outputs = descriptor.Outputs.Select(o => (o.Name, type.GetProperty(PropertyName(type, o.Name))!)).ToArray(),
                JoinMode = descriptor.Type == JoinActivity.TypeName ? ReadJoinMode(node) : null,
            };
        }
        return new ExecutionPlan
        {
            Definition = definition,
            Activities = activities,
            Entries = FlowGraph.EntryActivities(definition, IsTrigger),
            ManualEntries = FlowGraph.ManualEntries(definition, IsTrigger),
            Next = definition.Connections.GroupBy(c => (c.Source, c.Outcome))
                .ToDictionary(g => g.Key, g => g.Select(c => c.Target).Distinct().ToArray()),
            JoinSources = activities.Values.Where(a => a.JoinMode is not null).ToDictionary(
                a => a.Node.Id,
                a => definition.Connections.Where(c => c.Target == a.Node.Id).Select(c => c.Source).Distinct().ToArray()),
        };
    }

    private bool IsTrigger(string type) => registry.Find(type)?.IsTrigger == true;

    private static string PropertyName(Type type, string camelName) =>
        type.GetProperties().First(p => string.Equals(p.Name, camelName, StringComparison.OrdinalIgnoreCase)).Name;

    private static JoinMode ReadJoinMode(ActivityNode node) =>
        node.Inputs.FirstOrDefault(p => p.Key.Equals("mode", StringComparison.OrdinalIgnoreCase)).Value?.ToString() is { } mode
        && Enum.TryParse<JoinMode>(mode, ignoreCase: true, out var parsed) ? parsed : JoinMode.WaitAll;

    internal static RetryPolicy EffectiveRetry(RetryPolicy basePolicy, RetryOverride? o) => o is null ? basePolicy : basePolicy with
    {
        MaxAttempts = o.MaxAttempts ?? basePolicy.MaxAttempts,
        BaseDelaySeconds = o.BaseDelaySeconds ?? basePolicy.BaseDelaySeconds,
        MaxDelaySeconds = o.MaxDelaySeconds ?? basePolicy.MaxDelaySeconds,
        Jitter = o.Jitter ?? basePolicy.Jitter,
        NonRetryable = [.. basePolicy.NonRetryable, .. o.NonRetryable ?? []],
    };
}
