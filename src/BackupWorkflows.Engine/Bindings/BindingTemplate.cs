using System.Text;
using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Bindings;

/// <summary>
/// Input values with bindings. A string that is exactly one <c>{{ path }}</c> takes the bound
/// value with its JSON type (an array stays an array); a string mixing text and bindings becomes
/// text (<c>"vm:{{ input.vmId }}"</c>). Arrays and objects are evaluated element by element;
/// every other JSON value is a literal.
/// </summary>
public static class BindingTemplate
{
    /// <summary>Every binding in the value, or the syntax errors found.</summary>
    public static IReadOnlyList<BindingPath> FindBindings(JsonNode? value, List<string> errors)
    {
        var found = new List<BindingPath>();
        Walk(value, found, errors);
        return found;
    }

    /// <summary>True when the value contains no binding (a plain literal).</summary>
    public static bool IsLiteral(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => !s.Contains("{{", StringComparison.Ordinal),
        JsonArray a => a.All(IsLiteral),
        JsonObject o => o.All(p => IsLiteral(p.Value)),
        _ => true,
    };

    /// <summary>Evaluates the value against a scope; literals are copied.</summary>
    public static JsonNode? Evaluate(JsonNode? value, BindingScope scope) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains("{{", StringComparison.Ordinal) => EvaluateString(s, scope),
        JsonArray a => new JsonArray(a.Select(x => Evaluate(x, scope)).ToArray()),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Evaluate(p.Value, scope)))),
        _ => value.DeepClone(),
    };

    private static JsonNode? EvaluateString(string s, BindingScope scope)
    {
        var parts = Split(s, errors: null);
        if (parts is [BindingPath only]) return only.Evaluate(scope)?.DeepClone();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is string literal) text.Append(literal);
            else if (((BindingPath)part).Evaluate(scope) is { } node)
                text.Append(node is JsonValue jv && jv.TryGetValue<string>(out var str) ? str : node.ToJsonString());
        }
        return JsonValue.Create(text.ToString());
    }

    private static void Walk(JsonNode? value, List<BindingPath> found, List<string> errors)
    {
        switch (value)
        {
            case JsonValue v when v.TryGetValue<string>(out var s) && s.Contains("{{", StringComparison.Ordinal):
                found.AddRange(Split(s, errors).OfType<BindingPath>());
                break;
            case JsonArray a:
                foreach (var x in a) Walk(x, found, errors);
                break;
            case JsonObject o:
                foreach (var p in o) Walk(p.Value, found, errors);
                break;
        }
    }

    /// <summary>Splits a string into literal text and parsed paths (exact single binding: one path, no text).</summary>
    private static List<object> Split(string s, List<string>? errors)
    {
        var parts = new List<object>();
        var i = 0;
        while (i < s.Length)
        {
            var open = s.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) { parts.Add(s[i..]); break; }
            if (open > i) parts.Add(s[i..open]);
            var close = s.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors?.Add($"'{{{{' without closing '}}}}' in \"{s}\"");
                parts.Add(s[open..]);
                break;
            }
            var inner = s[(open + 2)..close];
            if (BindingPath.TryParse(inner, out var path, out var error)) parts.Add(path!);
            else errors?.Add($"bad binding '{{{{{inner}}}}}': {error}");
            i = close + 2;
        }
        // A string that is only one binding (surrounding blanks ignored) keeps the bound JSON type.
        var meaningful = parts.Where(p => p is not string t || !string.IsNullOrWhiteSpace(t)).ToList();
        return meaningful is [BindingPath] ? meaningful : parts;
    }
}
