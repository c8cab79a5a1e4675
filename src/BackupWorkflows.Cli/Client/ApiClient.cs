using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BackupWorkflows.Cli.Client;

/// <summary>An error answer of the server (a problem details body), or a failure to reach it.</summary>
public sealed class ApiError(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail ?? title)
{
    /// <summary>HTTP status (0 when the server could not be reached).</summary>
    public int Status { get; } = status;

    /// <summary>Short title.</summary>
    public string Title { get; } = title;

    /// <summary>Explanation.</summary>
    public string? Detail { get; } = detail;

    /// <summary>Per-field messages of a 400.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}

/// <summary>The REST API (docs/api.md) over HTTP, with the API key in <c>X-Api-Key</c>; JSON in and out. Bodies are the
/// models generated from the server's OpenAPI document (namespace <c>BackupWorkflows.Cli.Client.Models</c>, Client/ApiModels.g.cs); answers come back as
/// JSON (printed as they are with --json) and are read through the same models (<see cref="Read{T}"/>).</summary>
public sealed class ApiClient : IDisposable
{
    /// <summary>The API's JSON: camelCase, enums as their names, null members left out of requests.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly HttpClient _http;

    /// <summary>Creates a client for <paramref name="server"/>.</summary>
    public ApiClient(string server, string? apiKey, HttpMessageHandler? handler = null)
    {
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            throw new ApiError(0, "Bad server address", $"'{server}' is not an http(s) URL (use --server or BWF_SERVER).");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = baseAddress;
        _http.Timeout = TimeSpan.FromMinutes(5);
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        Server = server;
    }

    /// <summary>The server's base URL.</summary>
    public string Server { get; }

    /// <summary>GET, JSON result.</summary>
    public Task<JsonNode?> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>GET, read as <typeparamref name="T"/>.</summary>
    public async Task<T> GetAsync<T>(string path, CancellationToken ct) => Read<T>(await GetAsync(path, ct));

    /// <summary>POST a JSON body (a generated model, a JSON node, or none).</summary>
    public Task<JsonNode?> PostAsync(string path, object? body, CancellationToken ct, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body, ct, headers);

    /// <summary>PUT a JSON body.</summary>
    public Task<JsonNode?> PutAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    /// <summary>An answer read as the model <typeparamref name="T"/>; an answer that does not fit is an <see cref="ApiError"/>.</summary>
    public static T Read<T>(JsonNode? answer)
    {
        try
        {
            return answer.Deserialize<T>(Json) ?? throw new JsonException("empty answer");
        }
        catch (JsonException e)
        {
            throw new ApiError(0, "Unexpected answer", $"the server's answer is not a {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>DELETE.</summary>
    public Task<JsonNode?> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>POST raw JSON text (imports).</summary>
    public Task<JsonNode?> PostRawAsync(string path, string json, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, null, ct, raw: json);

    /// <summary>GET as text (exports).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct,
        IDictionary<string, string>? headers = null, string? raw = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        if (raw is not null) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        using var response = await SendRawAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, ct); }
        catch (HttpRequestException e)
        {
            throw new ApiError(0, "Cannot reach the server", $"{Server}: {e.Message} (is `bwf server` running? --server / BWF_SERVER)");
        }
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await ToErrorAsync(response, ct);
    }

    private static async Task<ApiError> ToErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                var errors = problem["errors"]?.AsObject().ToDictionary(e => e.Key,
                    e => e.Value is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToArray() : [e.Value?.ToString() ?? ""]);
                var problems = problem["problems"]?.AsArray().Select(p => p?["message"]?.ToString() is { } m
                    ? (p["activityId"] is { } a ? $"{a}: {m}" : m) : "").ToArray();
                if (problems is { Length: > 0 }) (errors ??= [])["problems"] = problems;
                return new ApiError(status, problem["title"]?.ToString() ?? response.ReasonPhrase ?? "Error",
                    problem["detail"]?.ToString(), errors);
            }
        }
        catch (JsonException) { }
        return new ApiError(status, response.ReasonPhrase ?? "Error", text.Length > 500 ? text[..500] : text);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
