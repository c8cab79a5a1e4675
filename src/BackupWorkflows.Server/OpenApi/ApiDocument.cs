using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BackupWorkflows.Server.OpenApi;

/// <summary>
/// The served OpenAPI document (<c>/openapi/v1.json</c>), the one source the studio's TypeScript types and the CLI's models
/// are generated from (deploy/openapi.sh). Its transformers make it say what the server really sends, so that the
/// generated types are exact: the same wherever it is served, numbers as numbers, and a property the server always writes
/// marked required.
/// </summary>
public static class ApiDocument
{
    /// <summary>Registers the document with its transformers.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        // The server URL the document was fetched from would differ between runs; clients call the same origin.
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers = [];
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            NumbersAsNumbers(schema);
            RequireWhatIsAlwaysWritten(schema, context.JsonTypeInfo);
            return Task.CompletedTask;
        });
    });

    /// <summary>The web JSON defaults read numbers from strings too (<c>"type": ["integer", "string"]</c>); the server
    /// writes numbers, and clients send them.</summary>
    private static void NumbersAsNumbers(OpenApiSchema schema)
    {
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String)) return;
        if (!type.HasFlag(JsonSchemaType.Integer) && !type.HasFlag(JsonSchemaType.Number)) return;
        schema.Type = type & ~JsonSchemaType.String;
        schema.Pattern = null;
    }

    /// <summary>A property is required exactly when it is not nullable. The server writes every non-nullable property (records
    /// mark their constructor parameters required already; the engine's definition classes mark nothing), and a client
    /// may leave a nullable one out of a request (it takes its default), so generated types ask for a value only where
    /// one always comes.</summary>
    private static void RequireWhatIsAlwaysWritten(OpenApiSchema schema, JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("BackupWorkflows.", StringComparison.Ordinal) != true) return;
        foreach (var property in info.Properties)
        {
            if (schema.Properties?.ContainsKey(property.Name) != true) continue;
            var nullable = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is not null
                : property.IsGetNullable;
            if (nullable) schema.Required?.Remove(property.Name);
            else (schema.Required ??= new HashSet<string>()).Add(property.Name);
        }
    }
}
