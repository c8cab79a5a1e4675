using System.Text.Json;
using BackupWorkflows.Server.Apis;

namespace BackupWorkflows.Server.Errors;

/// <summary>
/// Checks every API request has in common, after authentication and before any handler looks anything
/// up: a malformed <c>Idempotency-Key</c> header, and JSON text holding an unpaired UTF-16 surrogate
/// (<c>"\ud800"</c> is valid JSON but no Unicode text: System.Text.Json refuses to decode it with an
/// InvalidOperationException, which model binding let through as a 500).
/// </summary>
internal sealed class RequestChecks(RequestDelegate next, long maxBytes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            _ = BackupsApi.IdempotencyKey(context);
            if (context.Request.HasJsonContentType() && context.Request.ContentLength is null or > 0)
                await CheckTextAsync(context.Request);
        }
        await next(context);
    }

    private async Task CheckTextAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: maxBytes);
        using var memory = new MemoryStream();
        try { await request.Body.CopyToAsync(memory, request.HttpContext.RequestAborted); }
        catch (IOException) when (memory.Length >= maxBytes)
        {
            throw new BadHttpRequestException($"The request body is larger than the limit of {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        request.Body.Position = 0;
        if (FindUnpairedSurrogate(memory.GetBuffer().AsSpan(0, (int)memory.Length)) is { } field)
            throw new InputException(field, "holds an unpaired UTF-16 surrogate (such as \\ud800); text must be valid Unicode.");
    }

    /// <summary>The field (JSON path without <c>$.</c>) of the first string holding an unpaired surrogate, or null.
    /// Malformed JSON is left to the endpoint, which says what is wrong with it.</summary>
    private static string? FindUnpairedSurrogate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var index = new List<int>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (index.Count > 0 && index[^1] >= 0) path.Add($"[{index[^1]++}]");
                        index.Add(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        index.RemoveAt(index.Count - 1);
                        if (path.Count > 0) path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        if (Text(ref reader) is not { } name) return Field(path); // the name itself cannot be shown
                        path.Add(name);
                        break;
                    default:
                        if (index.Count > 0 && index[^1] >= 0) path.Add($"[{index[^1]++}]");
                        if (reader.TokenType == JsonTokenType.String && Text(ref reader) is null) return Field(path);
                        if (path.Count > 0) path.RemoveAt(path.Count - 1);
                        break;
                }
            }
        }
        catch (JsonException) { }
        return null;
    }

    // A property whose value is an object or array keeps its name on the path until that value ends.
    private static string Field(List<string> path) =>
        path.Count == 0 ? "body" : string.Concat(path.Select((p, i) => i == 0 || p.StartsWith('[') ? p : "." + p));

    /// <summary>The string at the reader, or null when it holds an unpaired surrogate (the reader refuses to decode it).</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        try { return reader.GetString(); }
        catch (InvalidOperationException) { return null; }
    }
}
