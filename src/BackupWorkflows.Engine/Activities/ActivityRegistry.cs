using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Activities;

/// <summary>Descriptors derived by reflection from activity classes, built once at start.</summary>
internal sealed class ActivityRegistry : IActivityRegistry
{
    private readonly Dictionary<string, List<ActivityDescriptor>> _byType = new(StringComparer.Ordinal);

    public ActivityRegistry(IEnumerable<Assembly> assemblies, IEnumerable<Type> types)
    {
        var all = assemblies.SelectMany(SafeTypes).Concat(types)
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(Activity).IsAssignableFrom(t)
                        && t.GetCustomAttribute<ActivityAttribute>() is not null)
            .Distinct();
        foreach (var type in all)
        {
            var descriptor = Describe(type);
            var versions = _byType.TryGetValue(descriptor.Type, out var list) ? list : _byType[descriptor.Type] = [];
            if (versions.Any(d => d.Version == descriptor.Version))
            {
                var other = versions.First(d => d.Version == descriptor.Version).ClrType;
                if (other == type) continue;
                throw new InvalidOperationException(
                    $"Activity type '{descriptor.Type}' v{descriptor.Version} is declared by both {other.FullName} and {type.FullName}.");
            }
            versions.Add(descriptor);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        }
        Descriptors = _byType.Values.SelectMany(v => v).OrderBy(d => d.Category).ThenBy(d => d.Type).ThenBy(d => d.Version).ToList();
    }

    public IReadOnlyList<ActivityDescriptor> Descriptors { get; }

    public ActivityDescriptor? Find(string type, int? version = null) =>
        !_byType.TryGetValue(type, out var versions) ? null
        : version is null ? versions[^1]
        : versions.FirstOrDefault(d => d.Version == version);

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    /// <summary>Builds the descriptor of one class from its attributes.</summary>
    public static ActivityDescriptor Describe(Type type)
    {
        var activity = type.GetCustomAttribute<ActivityAttribute>()
            ?? throw new InvalidOperationException($"{type.FullName} has no [Activity] attribute.");
        var outcomes = type.GetCustomAttribute<OutcomesAttribute>();
        var retry = type.GetCustomAttribute<RetryAttribute>();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var inputs = properties
            .Where(p => p.GetCustomAttribute<InputAttribute>() is not null)
            .Select(p =>
            {
                if (p.SetMethod is not { IsPublic: true })
                    throw new InvalidOperationException($"Input {type.FullName}.{p.Name} needs a public setter.");
                var a = p.GetCustomAttribute<InputAttribute>()!;
                return new InputDescriptor
                {
                    Name = JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                    Type = JsonTypeName(p.PropertyType),
                    UIHint = a.UIHint,
                    Description = a.Description,
                    Required = a.Required,
                    Sensitive = a.Sensitive,
                    Default = a.Default is null ? null : JsonSerializer.SerializeToNode(a.Default, DefinitionJson.Options),
                    ClrType = p.PropertyType,
                };
            }).ToList();
        var outputs = properties
            .Where(p => p.GetCustomAttribute<OutputAttribute>() is not null)
            .Select(p => new OutputDescriptor
            {
                Name = JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                Type = JsonTypeName(p.PropertyType),
                Description = p.GetCustomAttribute<OutputAttribute>()!.Description,
            }).ToList();
        return new ActivityDescriptor
        {
            Type = activity.Type,
            Version = activity.Version,
            Category = activity.Category,
            DisplayName = activity.DisplayName ?? activity.Type[(activity.Type.LastIndexOf('.') + 1)..],
            Description = activity.Description,
            Inputs = inputs,
            Outputs = outputs,
            Outcomes = outcomes?.Names ?? ["Done"],
            DynamicOutcomes = outcomes?.Dynamic ?? false,
            IsTrigger = typeof(Triggers.TriggerActivity).IsAssignableFrom(type),
            Retry = retry is null ? null : new RetryPolicy
            {
                MaxAttempts = Math.Max(1, retry.MaxAttempts),
                BaseDelaySeconds = retry.BaseDelaySeconds,
                MaxDelaySeconds = retry.MaxDelaySeconds,
                Jitter = retry.Jitter,
                NonRetryable = retry.NonRetryable.Select(t => t.FullName ?? t.Name).ToList(),
            },
            TimeoutSeconds = type.GetCustomAttribute<TimeoutAttribute>()?.Seconds,
            ClrType = type,
        };
    }

    /// <summary>The JSON type name shown in descriptors.</summary>
    internal static string JsonTypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateTime)
            || type == typeof(TimeSpan) || type.IsEnum) return "string";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong)) return "integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "number";
        if (type == typeof(JsonNode) || type == typeof(JsonElement) || type == typeof(object)) return "any";
        if (type == typeof(JsonArray) || (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            && !typeof(System.Collections.IDictionary).IsAssignableFrom(type) && type != typeof(JsonObject))) return "array";
        return "object";
    }
}
