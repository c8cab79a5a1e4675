using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Engine.Tests.Notify;

/// <summary>
/// <c>Notify.Webhook</c> against a real HTTP server on 127.0.0.1: the payload built from bindings arrives with its
/// headers; a 500 is retried by the engine's retry policy and the next attempt succeeds; a 400 faults at once with the
/// status in the error; secret header values never reach the journal.
/// </summary>
public sealed class WebhookTests
{
    private static string Flow(string id, string url) => $$$"""
        { "id": "{{{id}}}",
          "inputs": [ { "name": "vm", "type": "string" }, { "name": "token", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "hook", "type": "Notify.Webhook", "inputs": {
                "url": "{{{url}}}",
                "payload": { "text": "backup of {{ input.vm }} failed", "vm": "{{ input.vm }}", "instance": "{{ instance.id }}" },
                "headers": { "X-Plain": "visible" },
                "secretHeaders": { "Authorization": "Bearer {{ input.token }}" } } } ],
          "connections": [ { "source": "start", "target": "hook" } ] }
        """;

    [Fact]
    public async Task Webhook_PostsPayloadAndHeaders_RetriesA500_MasksSecretHeaders()
    {
        await using var sink = HttpSink.Start();
        sink.Answers.Enqueue(500);
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("notify", sink.Url + "hooks/failed"));
        var info = await engine.RunAsync("notify", new JsonObject { ["vm"] = "web1", ["token"] = "s3cret" });
        Assert.Equal(WorkflowStatus.Finished, info.Status);

        Assert.Equal([500, 200], sink.Requests.Select(r => r.Answered));
        var last = sink.Requests.Last();
        Assert.Equal(("POST", "/hooks/failed", "Bearer s3cret", "visible"), (last.Method, last.Path, last.Headers["Authorization"], last.Headers["X-Plain"]));
        Assert.StartsWith("application/json", last.Headers["Content-Type"]);
        var body = JsonNode.Parse(last.Body)!;
        Assert.Equal(("backup of web1 failed", "web1", info.Id), (body["text"]!.GetValue<string>(), body["vm"]!.GetValue<string>(), body["instance"]!.GetValue<string>()));

        // One journal row per attempt: the 500 faulted attempt 1 (retryable), attempt 2 completed.
        var attempts = (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "hook").ToList();
        Assert.Equal([(1, "Faulted"), (2, "Completed")], attempts.Select(a => (a.Attempt, a.Status.ToString())));
        Assert.Contains("answered 500", attempts[0].Error);
        Assert.Equal(200, attempts[1].Outputs!["status"]!.GetValue<int>());
        foreach (var entry in attempts)
        {
            Assert.Equal("***", entry.Inputs!["secretHeaders"]!["Authorization"]!.GetValue<string>());
            Assert.Equal("visible", entry.Inputs["headers"]!["X-Plain"]!.GetValue<string>());
            Assert.DoesNotContain("s3cret", entry.Inputs.ToJsonString());
        }
    }

    [Fact]
    public async Task Webhook_A400_FaultsAtOnce_WithTheStatus()
    {
        await using var sink = HttpSink.Start();
        sink.Answers.Enqueue(400);
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("notify-bad", sink.Url + "hooks/failed"));
        var info = await engine.RunAsync("notify-bad", new JsonObject { ["vm"] = "web1", ["token"] = "s3cret" });
        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains("answered 400 Bad Request: sink answers 400", info.Fault);
        Assert.Single(sink.Requests); // not retried
    }

    [Fact]
    public async Task Webhook_ConnectionRefused_IsRetried_ThenFaults()
    {
        var closed = LoopbackPort.Free(); // nothing listens there
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("notify-down", $"http://127.0.0.1:{closed}/x").Replace("\"hook\", \"type\": \"Notify.Webhook\",",
            "\"hook\", \"type\": \"Notify.Webhook\", \"retry\": { \"maxAttempts\": 2, \"baseDelaySeconds\": 0.1 },"));
        var info = await engine.RunAsync("notify-down", new JsonObject { ["vm"] = "web1", ["token"] = "t" });
        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Equal([1, 2], (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "hook").Select(j => j.Attempt));
    }
}
