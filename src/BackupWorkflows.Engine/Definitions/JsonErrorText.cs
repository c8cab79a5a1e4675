using System.Text.Json;
using System.Text.RegularExpressions;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>
/// A <see cref="JsonException"/> in user terms: what is wrong and where (JSON path, line), never the
/// .NET type the value was meant to become (System.Text.Json names those in its messages).
/// </summary>
public static partial class JsonErrorText
{
    /// <summary>What is wrong, e.g. <c>expected a whole number at $.locks[0].limit (line 1, position 40)</c>.</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        if (ConvertPattern().Match(message) is { Success: true } m)
            message = Kind(m.Groups["type"].Value) is { } kind ? $"expected {kind}"
                : string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "expected a JSON object" : "this value has the wrong JSON type";
        else if (message.Contains("BackupWorkflows.", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal))
            message = "this value does not fit here";
        message = message.TrimEnd('.');
        var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
        var line = e.LineNumber is { } l ? $" (line {l + 1}, position {e.BytePositionInLine + 1})" : "";
        return message + where + line;
    }

    /// <summary>The field a JSON path points at, for a problem's <c>errors</c>: <c>$.input.vm</c> is <c>input.vm</c>; the root is <c>body</c>.</summary>
    public static string Field(JsonException e) =>
        e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";

    /// <summary>The JSON kind a .NET type reads from, or null for a type of ours (an object, but System.Text.Json names
    /// the containing type when a constructor parameter fails, so the property's own type is unknown).</summary>
    private static string? Kind(string type) => type switch
    {
        _ when type.Contains("System.String", StringComparison.Ordinal) => "text (a JSON string)",
        _ when IntegerPattern().IsMatch(type) => "a whole number",
        _ when type.Contains("System.Double", StringComparison.Ordinal) || type.Contains("System.Single", StringComparison.Ordinal)
                                                                      || type.Contains("System.Decimal", StringComparison.Ordinal) => "a number",
        _ when type.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("System.DateTime", StringComparison.Ordinal) => "a date and time (ISO 8601 text)",
        _ when type.Contains("System.Guid", StringComparison.Ordinal) => "an id (UUID text)",
        _ when type.Contains("List`", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal)
                                                               || type.Contains("JsonArray", StringComparison.Ordinal) => "a list (JSON array)",
        _ when type.Contains("JsonObject", StringComparison.Ordinal) || type.Contains("Dictionary`", StringComparison.Ordinal) => "an object",
        _ => null,
    };

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex ConvertPattern();

    [GeneratedRegex(@"System\.U?Int(16|32|64|128)|System\.S?Byte")]
    private static partial Regex IntegerPattern();
}
