using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Activities.Notify;

/// <summary>
/// POSTs a JSON payload (built from bindings) to a URL. <see cref="SecretHeaders"/> is a sensitive input: the journal
/// shows its header names with the values masked. A 5xx answer or a failed connection is retried with backoff by the
/// engine's retry policy (<see cref="RetryAttribute"/>, overridable per activity); a 4xx answer is not retried and
/// faults the activity with the status in the error.
/// </summary>
[Activity(TypeName, Category = "Notify", DisplayName = "Webhook",
    Description = "POSTs a JSON payload to a URL; retried on 5xx and connection errors, faults on 4xx.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 5, BaseDelaySeconds = 1, MaxDelaySeconds = 30)]
[Timeout(30)]
public sealed class WebhookActivity : Activity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Notify.Webhook";

    // One client for all webhooks: connections are pooled and DNS is re-read every few minutes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Where to POST.</summary>
    [Input(Description = "http:// or https:// URL to POST to (may bind, e.g. {{ input.url }}).", Required = true)]
    public string Url { get; set; } = "";

    /// <summary>The JSON body.</summary>
    [Input(Description = "The JSON body (any JSON; members may bind, e.g. { \"vm\": \"{{ input.vm }}\" }).", UIHint = "json")]
    public JsonNode? Payload { get; set; }

    /// <summary>Headers sent as they are (shown in the journal).</summary>
    [Input(Description = "Extra headers (JSON object of name: value), shown in the journal.", UIHint = "json")]
    public JsonObject? Headers { get; set; }

    /// <summary>Headers whose values are secret (a token): masked in the journal.</summary>
    [Input(Description = "Secret headers (JSON object of name: value, e.g. Authorization); their values are masked in the journal.",
        UIHint = "json", Sensitive = true)]
    public JsonObject? SecretHeaders { get; set; }

    /// <summary>The answer's status code.</summary>
    [Output(Description = "HTTP status of the answer.")]
    public int Status { get; private set; }

    /// <inheritdoc />
    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new NonRetryableActivityException($"Webhook URL '{Url}' is not an absolute http:// or https:// URL.");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent((Payload ?? new JsonObject()).ToJsonString(DefinitionJson.Options), Encoding.UTF8, "application/json"),
        };
        foreach (var headers in new[] { Headers, SecretHeaders })
            foreach (var (name, value) in headers ?? [])
                if (!request.Headers.TryAddWithoutValidation(name, value?.ToString() ?? ""))
                    throw new NonRetryableActivityException($"Webhook header '{name}' cannot be set on a request.");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
        Status = (int)response.StatusCode;
        context.Journal($"POST {uri.GetLeftPart(UriPartial.Path)} answered {Status} {response.ReasonPhrase}");
        if (response.IsSuccessStatusCode) return ActivityResult.Done;
        var body = await Excerpt(response, context.CancellationToken);
        var message = $"Webhook POST {uri.GetLeftPart(UriPartial.Path)} answered {Status} {response.ReasonPhrase}{body}";
        // 5xx (and 408/429, which say "later") are worth another attempt; any other 4xx will answer the same again.
        if (Status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            throw new HttpRequestException(message, null, response.StatusCode);
        throw new NonRetryableActivityException(message);
    }

    private static async Task<string> Excerpt(HttpResponseMessage response, CancellationToken ct)
    {
        var text = (await response.Content.ReadAsStringAsync(ct)).Trim();
        return text.Length == 0 ? "" : ": " + (text.Length <= 300 ? text : text[..300] + "…");
    }
}
