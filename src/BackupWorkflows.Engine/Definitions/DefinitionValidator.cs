using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Activities.Flow;
using BackupWorkflows.Engine.Bindings;
using BackupWorkflows.Engine.Triggers;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>
/// Checks a definition before it is saved and fills in defaults (activity versions, name).
/// Collects every problem instead of stopping at the first, so an operator fixes them in one go.
/// </summary>
internal sealed partial class DefinitionValidator(IActivityRegistry registry)
{
    private static readonly HashSet<string> InstanceFields = ["id", "definitionId", "definitionVersion", "correlationId"];

    /// <summary>The types a workflow input may declare (<see cref="WorkflowInputDefinition.Type"/>).</summary>
    public static readonly IReadOnlyList<string> InputTypes = ["string", "integer", "number", "boolean", "array", "object", "any"];

    /// <summary>Pins missing activity versions to the latest known and defaults the name to the id.</summary>
    public void Normalize(WorkflowDefinition d)
    {
        if (string.IsNullOrWhiteSpace(d.Name)) d.Name = d.Id;
        d.Inputs ??= []; d.Variables ??= []; d.Activities ??= []; d.Connections ??= []; d.Locks ??= [];
        foreach (var a in d.Activities.Where(a => a is not null))
        {
            a.Inputs ??= [];
            if (a.Version is null && a.Type is not null && registry.Find(a.Type) is { } latest) a.Version = latest.Version;
        }
    }

    public List<ValidationProblem> Validate(WorkflowDefinition d)
    {
        var problems = new List<ValidationProblem>();
        void Add(string? activity, string? path, string message) => problems.Add(new(activity, path, message));

        if (string.IsNullOrWhiteSpace(d.Id) || !IdPattern().IsMatch(d.Id))
            Add(null, "id", "the id must be letters, digits, '.', '_' or '-'");
        // Everything below reads whole entries; a null entry or a null name is reported and stops here.
        if (CheckEntries(d, Add) > 0) return problems;
        if (d.Activities.Count == 0) Add(null, "activities", "a workflow needs at least one activity");
        CheckUnique(d.Inputs.Select(i => i.Name), "inputs", "input", Add);
        CheckUnique(d.Variables.Select(v => v.Name), "variables", "variable", Add);
        CheckUnique(d.Activities.Select(a => a.Id), "activities", "activity id", Add);

        var descriptors = new Dictionary<string, ActivityDescriptor>(StringComparer.Ordinal);
        foreach (var a in d.Activities)
        {
            if (string.IsNullOrWhiteSpace(a.Id) || !ActivityIdPattern().IsMatch(a.Id))
                Add(a.Id, "id", "an activity id must start with a letter and hold only letters, digits, '_' or '-'");
            var descriptor = string.IsNullOrEmpty(a.Type) ? null : registry.Find(a.Type, a.Version);
            if (descriptor is null)
            {
                Add(a.Id, "type", registry.Find(a.Type ?? "") is { } other
                    ? $"activity type '{a.Type}' has no version {a.Version} (latest is {other.Version})"
                    : $"unknown activity type '{a.Type}'");
                continue;
            }
            descriptors.TryAdd(a.Id, descriptor);
            CheckPolicy(a, Add);
        }
        foreach (var a in d.Activities)
            if (descriptors.TryGetValue(a.Id, out var descriptor)) CheckInputs(d, a, descriptor, descriptors, Add);
        foreach (var a in d.Activities)
            if (descriptors.TryGetValue(a.Id, out var descriptor) && descriptor.IsTrigger) CheckTrigger(d, a, descriptor, Add);

        for (var i = 0; i < d.Connections.Count; i++)
        {
            var c = d.Connections[i];
            var path = $"connections[{i}]";
            if (!d.Activities.Any(a => a.Id == c.Source)) Add(null, path, $"connection from unknown activity '{c.Source}'");
            else if (descriptors.TryGetValue(c.Source, out var source) && !source.DynamicOutcomes && !source.Outcomes.Contains(c.Outcome))
                Add(c.Source, path, $"'{source.Type}' has no outcome '{c.Outcome}' (it has: {string.Join(", ", source.Outcomes)})");
            if (!d.Activities.Any(a => a.Id == c.Target)) Add(null, path, $"connection to unknown activity '{c.Target}'");
        }

        var starts = d.Activities.Count(a => a.Type == StartActivity.TypeName);
        if (starts > 1) Add(null, "activities", "a workflow may have only one Start activity");
        if (d.Activities.Count > 0 && FlowGraph.EntryActivities(d, IsTrigger).Count == 0)
            Add(null, "activities", "no activity to start from: add a Start activity");
        else
        {
            var reachable = FlowGraph.Reachable(d, IsTrigger);
            foreach (var a in d.Activities.Where(a => !reachable.Contains(a.Id)))
                Add(a.Id, null, "unreachable: no connection leads here from the start");
        }

        for (var i = 0; i < d.Locks.Count; i++)
        {
            var l = d.Locks[i];
            if (string.IsNullOrWhiteSpace(l.Name)) Add(null, $"locks[{i}]", "a lock needs a name");
            if (l.Limit < 1) Add(null, $"locks[{i}]", "a lock's limit must be at least 1");
            var errors = new List<string>();
            foreach (var b in BindingTemplate.FindBindings(JsonValue.Create(l.Name), errors))
                if (b.Root is not ("input" or "instance")) errors.Add($"'{b.Text}': lock names may bind only input or instance");
                else CheckBinding(d, b, descriptors, errors);
            foreach (var e in errors) Add(null, $"locks[{i}].name", e);
        }
        return problems;
    }

    private void CheckInputs(WorkflowDefinition d, ActivityNode a, ActivityDescriptor descriptor,
        Dictionary<string, ActivityDescriptor> descriptors, Action<string?, string?, string> add)
    {
        foreach (var (name, value) in a.Inputs)
        {
            var input = descriptor.Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
            if (input is null)
            {
                add(a.Id, $"inputs.{name}", $"'{descriptor.Type}' has no input '{name}' (it has: {string.Join(", ", descriptor.Inputs.Select(i => i.Name))})");
                continue;
            }
            var errors = new List<string>();
            foreach (var binding in BindingTemplate.FindBindings(value, errors)) CheckBinding(d, binding, descriptors, errors);
            if (errors.Count == 0 && value is not null && BindingTemplate.IsLiteral(value))
            {
                try { value.Deserialize(input.ClrType, DefinitionJson.Options); }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
                { errors.Add($"value {value.ToJsonString()} is not a valid {input.Type}"); }
            }
            foreach (var e in errors) add(a.Id, $"inputs.{name}", e);
        }
        if (typeof(IDesignChecked).IsAssignableFrom(descriptor.ClrType))
        {
            var given = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in a.Inputs)
                if (value is not null) given.TryAdd(name, value);
            var activity = (IDesignChecked)Activator.CreateInstance(descriptor.ClrType)!;
            foreach (var (input, problem) in activity.CheckDesign(given)) add(a.Id, $"inputs.{input}", problem);
        }
        foreach (var input in descriptor.Inputs.Where(i => i.Required && i.Default is null))
        {
            var given = a.Inputs.FirstOrDefault(p => string.Equals(p.Key, input.Name, StringComparison.OrdinalIgnoreCase));
            if (given.Value is null || (given.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
                add(a.Id, $"inputs.{input.Name}", "required input has no value");
        }
    }

    /// <summary>True for the type name of a trigger activity.</summary>
    public bool IsTrigger(string type) => registry.Find(type)?.IsTrigger == true;

    /// <summary>A trigger starts the flow (nothing connects into it) and its inputs are settings: literals, checked by the trigger.</summary>
    private static void CheckTrigger(WorkflowDefinition d, ActivityNode a, ActivityDescriptor descriptor, Action<string?, string?, string> add)
    {
        if (d.Connections.Any(c => c.Target == a.Id)) add(a.Id, null, "a trigger starts the workflow: nothing may connect into it");
        var literal = true;
        foreach (var (name, value) in a.Inputs.Where(i => !BindingTemplate.IsLiteral(i.Value)))
        {
            add(a.Id, $"inputs.{name}", "a trigger's settings are read when the workflow is published: give a literal, not a binding");
            literal = false;
        }
        if (!literal) return;
        try
        {
            foreach (var (input, problem) in TriggerSettings.Create(descriptor, TriggerSettings.Of(descriptor, a)).CheckSettings())
                add(a.Id, $"inputs.{input}", problem);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A value of the wrong type; CheckInputs has reported it.
        }
    }

    private static void CheckBinding(WorkflowDefinition d, BindingPath b, Dictionary<string, ActivityDescriptor> descriptors, List<string> errors)
    {
        var first = b.Segments.Count > 0 ? b.Segments[0] as string : null;
        switch (b.Root)
        {
            case "input" when first is not null && !d.Inputs.Any(i => i.Name == first):
                errors.Add($"'{b.Text}' binds to nothing: the workflow has no input '{first}'"); break;
            case "variables" when first is not null && !d.Variables.Any(v => v.Name == first):
                errors.Add($"'{b.Text}' binds to nothing: the workflow has no variable '{first}'"); break;
            case "instance" when first is null || !InstanceFields.Contains(first):
                errors.Add($"'{b.Text}': instance has only {string.Join(", ", InstanceFields)}"); break;
            case "steps":
                if (first is null || !d.Activities.Any(a => a.Id == first))
                    errors.Add($"'{b.Text}' binds to nothing: there is no activity '{first}'");
                else if (b.Segments.Count > 1 && descriptors.TryGetValue(first, out var source)
                         && (b.Segments[1] is not string output || !source.Outputs.Any(o => o.Name == output)))
                    errors.Add($"'{b.Text}' binds to nothing: '{source.Type}' has no output '{b.Segments[1]}'"
                               + $" (it has: {(source.Outputs.Count == 0 ? "none" : string.Join(", ", source.Outputs.Select(o => o.Name)))})");
                break;
        }
    }

    private static void CheckPolicy(ActivityNode a, Action<string?, string?, string> add)
    {
        if (a.Retry is { } r)
        {
            if (r.MaxAttempts is < 1) add(a.Id, "retry.maxAttempts", "must be at least 1");
            if (r.BaseDelaySeconds is < 0) add(a.Id, "retry.baseDelaySeconds", "must not be negative");
            if (r.MaxDelaySeconds is < 0) add(a.Id, "retry.maxDelaySeconds", "must not be negative");
        }
        if (a.TimeoutSeconds is <= 0 or > 86400) add(a.Id, "timeoutSeconds", "must be between 0 and 86400 seconds");
    }

    private static int CheckEntries(WorkflowDefinition d, Action<string?, string?, string> add)
    {
        var found = 0;
        void Missing(string? activity, string path, string message) { add(activity, path, message); found++; }
        void Each<T>(List<T> list, string path, Action<T, string> check) where T : class
        {
            for (var i = 0; i < list.Count; i++)
                if (list[i] is null) Missing(null, $"{path}[{i}]", "is null; give an object or remove the entry");
                else check(list[i], $"{path}[{i}]");
        }
        Each(d.Inputs, "inputs", (input, path) =>
        {
            if (string.IsNullOrWhiteSpace(input.Name)) Missing(null, $"{path}.name", "an input needs a name");
            if (input.Type is null || !InputTypes.Contains(input.Type, StringComparer.OrdinalIgnoreCase))
                Missing(null, $"{path}.type", $"the type must be one of: {string.Join(", ", InputTypes)}");
        });
        Each(d.Variables, "variables", (variable, path) =>
        {
            if (string.IsNullOrWhiteSpace(variable.Name)) Missing(null, $"{path}.name", "a variable needs a name");
        });
        Each(d.Activities, "activities", (a, path) =>
        {
            if (a.Id is null) Missing(null, $"{path}.id", "an activity needs an id");
            if (a.Type is null) Missing(a.Id, $"{path}.type", "an activity needs a type");
            if (a.Retry?.NonRetryable?.Any(n => n is null) == true) Missing(a.Id, $"{path}.retry.nonRetryable", "holds a null entry");
        });
        Each(d.Connections, "connections", (c, path) =>
        {
            if (c.Source is null) Missing(null, $"{path}.source", "a connection needs a source activity");
            if (c.Target is null) Missing(null, $"{path}.target", "a connection needs a target activity");
            if (c.Outcome is null) Missing(null, $"{path}.outcome", "a connection needs an outcome (default 'Done')");
        });
        Each(d.Locks, "locks", (l, path) =>
        {
            if (l.Name is null) Missing(null, $"{path}.name", "a lock needs a name");
        });
        return found;
    }

    private static void CheckUnique(IEnumerable<string> names, string path, string what, Action<string?, string?, string> add)
    {
        foreach (var name in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
            add(null, path, $"{what} '{name}' is declared more than once");
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,200}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex ActivityIdPattern();
}
