using System.Text.Json;
using System.Text.RegularExpressions;
using BackupWorkflows.Engine.Definitions;
using Microsoft.AspNetCore.Mvc;

namespace BackupWorkflows.Server.Errors;

/// <summary>
/// A request ASP.NET Core could not read (bad JSON, a wrong JSON type, a query value that is no number)
/// as a 400 naming the field in user terms. The framework's own messages name .NET parameter types
/// (<c>"AddHostRequest request"</c>), which say nothing to a client and leak internals.
/// </summary>
internal static partial class RequestReadProblem
{
    public static ProblemDetails From(BadHttpRequestException e)
    {
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return new ProblemDetails { Status = 413, Title = "Request too large", Detail = e.Message };
        if (e.InnerException is JsonException json)
            return Invalid("Invalid JSON", JsonErrorText.Field(json), JsonErrorText.Describe(json));
        if (BindPattern().Match(e.Message) is { Success: true } bind)
            return Invalid("Invalid input", bind.Groups["name"].Value, $"'{bind.Groups["value"].Value}' is not a valid {Kind(bind.Groups["type"].Value)}.");
        if (e.Message.Contains("from body", StringComparison.Ordinal) || e.Message.Contains("request body", StringComparison.Ordinal))
            return Invalid("Invalid input", "body", "a JSON body is required (Content-Type: application/json).");
        if (RequiredPattern().Match(e.Message) is { Success: true } required)
            return Invalid("Invalid input", required.Groups["name"].Value, "is required.");
        // What is left is about the body: none, or JSON null where an object is needed.
        return Invalid("Invalid input", "body", "a JSON object is required (Content-Type: application/json).");
    }

    private static HttpValidationProblemDetails Invalid(string title, string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] }) { Status = 400, Title = title, Detail = $"{field}: {message}" };

    private static string Kind(string type) => type.TrimEnd('?', ' ') switch
    {
        "int" or "long" or "short" => "whole number",
        "double" or "decimal" or "float" => "number",
        "bool" => "true or false",
        "Guid" => "id (UUID)",
        "DateTimeOffset" or "DateTime" => "date and time (ISO 8601)",
        _ => "value",
    };

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.""")]
    private static partial Regex BindPattern();

    [GeneratedRegex("""Required parameter "\S+ (?<name>\w+)" was not provided""")]
    private static partial Regex RequiredPattern();
}
