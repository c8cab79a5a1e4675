using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Server.Errors;

namespace BackupWorkflows.Server.Triggers;

/// <summary>
/// The workflow input of an HTTP hook request: the JSON body when there is one (it must be an object), else
/// the query string with each value read as the declared input's type. The engine then validates it
/// (required inputs, types, undeclared names) like every other start.
/// </summary>
internal static class HookInput
{
    /// <summary>Reads the input; a body that is not a JSON object is a 400 naming <c>body</c>.</summary>
    public static async Task<JsonObject> ReadAsync(HttpRequest request, WorkflowDefinition definition, CancellationToken ct)
    {
        if (request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
        {
            JsonNode? body;
            try { body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct); }
            catch (JsonException e) { throw new InputException("body", $"is not valid JSON: {e.Message}"); }
            return body as JsonObject ?? throw new InputException("body", "must be a JSON object whose members are the workflow's inputs.");
        }
        var input = new JsonObject();
        foreach (var (name, values) in request.Query)
        {
            var text = values.ToString();
            var declared = definition.Inputs.FirstOrDefault(i => i.Name == name);
            input[name] = declared is null ? JsonValue.Create(text) : Typed(declared.Type, text);
        }
        return input;
    }

    /// <summary>A query value as the declared type when it reads as one; else the text (which the engine then refuses by name).</summary>
    private static JsonNode? Typed(string type, string text) => type.ToLowerInvariant() switch
    {
        "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        "boolean" when bool.TryParse(text, out var b) => JsonValue.Create(b),
        "array" or "object" => TryParse(text) ?? JsonValue.Create(text),
        _ => JsonValue.Create(text),
    };

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }
}
