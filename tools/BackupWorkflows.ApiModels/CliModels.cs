using NSwag;
using NSwag.CodeGeneration.CSharp;
using NJsonSchema.CodeGeneration.CSharp;

namespace BackupWorkflows.ApiModels;

/// <summary>The CLI's API models (src/BackupWorkflows.Cli/Client/ApiModels.g.cs), generated from the served OpenAPI
/// document (docs/openapi.json) by NSwag's C# generator: records of the bodies only, no client (the CLI has its own,
/// ApiClient), System.Text.Json.</summary>
public static class CliModels
{
    /// <summary>The namespace of the generated types.</summary>
    public const string Namespace = "BackupWorkflows.Cli.Client.Models";

    /// <summary>The C# source for <paramref name="documentJson"/>, with Unix line ends.</summary>
    public static async Task<string> GenerateAsync(string documentJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(documentJson);
        // The bodies hold what the document says, nothing more: no extension-data dictionaries.
        foreach (var schema in document.Definitions.Values) schema.AllowAdditionalProperties = false;
        var settings = new CSharpClientGeneratorSettings
        {
            GenerateClientClasses = false,
            GenerateClientInterfaces = false,
            GenerateExceptionClasses = false,
            // Free-form JSON (instance inputs, outputs, variables, defaults) stays System.Text.Json's node types.
            AdditionalNamespaceUsages = ["System.Text.Json.Nodes"],
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                ClassStyle = CSharpClassStyle.Record,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
                GenerateDataAnnotations = false,
                GenerateJsonMethods = false,
                DateTimeType = "System.DateTimeOffset",
                ArrayType = "System.Collections.Generic.IReadOnlyList",
                ArrayInstanceType = "System.Collections.Generic.List",
                ArrayBaseType = "System.Collections.Generic.List",
                DictionaryType = "System.Collections.Generic.IReadOnlyDictionary",
                DictionaryInstanceType = "System.Collections.Generic.Dictionary",
                DictionaryBaseType = "System.Collections.Generic.Dictionary",
                AnyType = "System.Text.Json.Nodes.JsonNode",
                GenerateDefaultValues = false,
                ExcludedTypeNames = ["JsonNode", "JsonObject"],
            },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        return code.ReplaceLineEndings("\n");
    }
}
