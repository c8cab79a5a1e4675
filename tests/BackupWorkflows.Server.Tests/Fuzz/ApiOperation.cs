using System.Text.Json.Nodes;

namespace BackupWorkflows.Server.Tests.Fuzz;

/// <summary>One operation of the served OpenAPI document, with what the fuzz needs to call it.</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">Path template, e.g. <c>/api/hosts/{name}</c>.</param>
/// <param name="Id">operationId.</param>
/// <param name="PathParameters">Names of the template's parameters.</param>
/// <param name="QueryParameters">Names of its query parameters.</param>
/// <param name="BodyProperties">Properties of its JSON body and their schema types; null when it takes no body.</param>
internal sealed record ApiOperation(string Method, string Path, string Id, IReadOnlyList<string> PathParameters,
    IReadOnlyList<string> QueryParameters, IReadOnlyDictionary<string, string>? BodyProperties)
{
    /// <summary>Every operation of <paramref name="document"/>.</summary>
    public static IReadOnlyList<ApiOperation> All(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation is not JsonObject op || op["operationId"] is null) continue;
                var parameters = op["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
                var body = op["requestBody"]?["content"]?.AsObject().Select(c => c.Value?["schema"]).FirstOrDefault();
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, op["operationId"]!.GetValue<string>(),
                    [.. parameters.Where(p => p["in"]?.GetValue<string>() == "path").Select(p => p["name"]!.GetValue<string>())],
                    [.. parameters.Where(p => p["in"]?.GetValue<string>() == "query").Select(p => p["name"]!.GetValue<string>())],
                    op["requestBody"] is null ? null : Properties(body, schemas)));
            }
        }
        return operations;
    }

    private static Dictionary<string, string> Properties(JsonNode? schema, JsonObject? schemas)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference && schemas is not null)
            schema = schemas[reference[(reference.LastIndexOf('/') + 1)..]];
        var result = new Dictionary<string, string>();
        foreach (var (name, property) in schema?["properties"]?.AsObject() ?? [])
            result[name] = TypeOf(property, schemas);
        return result;
    }

    private static string TypeOf(JsonNode? property, JsonObject? schemas)
    {
        if (property?["$ref"] is not null) return "object";
        return property?["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "string",
            JsonValue type => type.GetValue<string>(),
            _ => "any",
        };
    }
}
