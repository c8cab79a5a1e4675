using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BackupWorkflows.Server.Tests.Fixtures;

/// <summary>Assertions on problem-details answers.</summary>
public static class Problems
{
    /// <summary>Asserts the status and that the body is a problem details document without a stack trace; returns it.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(" at BackupWorkflows.", text);
        Assert.DoesNotContain("Exception", text.Replace("Idempotency", ""));
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>Reads a JSON body after asserting success.</summary>
    public static async Task<JsonNode> OkJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>POSTs JSON.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);
}
