using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Bindings;

/// <summary>
/// A parsed <c>{{ root.name[0].name }}</c> path. Roots: <c>input</c>, <c>variables</c>,
/// <c>steps</c> (outputs by activity id) and <c>instance</c> (id, definitionId, correlationId).
/// Only member and index access: no calls, no operators, so nothing can run code.
/// </summary>
public sealed record BindingPath(string Root, IReadOnlyList<object> Segments, string Text)
{
    /// <summary>The roots a path may start with.</summary>
    public static readonly IReadOnlySet<string> Roots = new HashSet<string>(StringComparer.Ordinal)
        { "input", "variables", "steps", "instance" };

    /// <summary>Parses a path; the error says what is wrong when it returns false.</summary>
    public static bool TryParse(string text, out BindingPath? path, out string? error)
    {
        path = null;
        var segments = new List<object>();
        var s = text.Trim();
        var i = 0;
        if (!TryName(s, ref i, out var root)) return Fail($"'{s}' must start with a name (input, variables, steps or instance)", out error);
        if (!Roots.Contains(root)) return Fail($"unknown root '{root}' (use input, variables, steps or instance)", out error);
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                i++;
                if (!TryName(s, ref i, out var name)) return Fail($"a name is expected after '.' at position {i + 1} of '{s}'", out error);
                segments.Add(name);
            }
            else if (s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0 || !int.TryParse(s.AsSpan(i + 1, close - i - 1), out var index) || index < 0)
                    return Fail($"'[' must hold a non-negative index and be closed at position {i + 1} of '{s}'", out error);
                segments.Add(index);
                i = close + 1;
            }
            else return Fail($"unexpected '{s[i]}' at position {i + 1} of '{s}'", out error);
        }
        if (root == "steps" && segments.Count == 0)
            return Fail("'steps' needs an activity id, e.g. steps.snapshot.deltas", out error);
        path = new BindingPath(root, segments, s);
        error = null;
        return true;
    }

    /// <summary>Reads the value at the path; null when any part is missing.</summary>
    public JsonNode? Evaluate(BindingScope scope)
    {
        JsonNode? node = Root switch
        {
            "input" => scope.Input,
            "variables" => scope.Variables,
            "steps" => scope.Steps,
            _ => scope.Instance,
        };
        foreach (var segment in Segments)
        {
            node = (segment, node) switch
            {
                (string name, JsonObject o) => o.TryGetPropertyValue(name, out var v) ? v : null,
                (int index, JsonArray a) => index < a.Count ? a[index] : null,
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    private static bool TryName(string s, ref int i, out string name)
    {
        var start = i;
        if (i < s.Length && (char.IsLetter(s[i]) || s[i] == '_'))
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '-')) i++;
        name = s[start..i];
        return i > start;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}

/// <summary>The values bindings read from.</summary>
public sealed record BindingScope(JsonObject Input, JsonObject Variables, JsonObject Steps, JsonObject Instance);
