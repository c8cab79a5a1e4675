using System.Diagnostics;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;

namespace BackupWorkflows.Cli.Tests;

/// <summary>
/// A workflow with <c>Trigger.Http</c> published from a JSON file with <c>bwf workflow import --publish</c> and called with
/// curl, as a user would: 202 with the instance (the same one again for the same Idempotency-Key), the output when the
/// hook waits, 403 for a viewer key where operator is required, 404 for an unknown path, 405 for another method, 400
/// naming a missing required input; unpublishing stops the hook.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class HookTriggerTests(CliServer server)
{
    [Fact]
    public async Task HookPublishedWithBwf_StartsTheWorkflowFromCurl_AndRefusesWhatItShould()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var path = $"greetings/{tag}";
        var file = Path.Combine(Path.GetTempPath(), $"hook-{tag}.json");
        await File.WriteAllTextAsync(file, $$$"""
            { "id": "greet-{{{tag}}}",
              "inputs": [ { "name": "name", "type": "string", "required": true }, { "name": "times", "type": "integer", "default": 1 } ],
              "activities": [
                { "id": "hook", "type": "Trigger.Http", "inputs": { "path": "{{{path}}}", "method": "POST", "role": "operator" } },
                { "id": "waiting", "type": "Trigger.Http", "inputs": { "path": "{{{path}}}/wait", "role": "operator", "waitSeconds": 30 } },
                { "id": "finish", "type": "Flow.Finish", "inputs": { "output": { "greeting": "hello {{ input.name }} x{{ input.times }}" } } } ],
              "connections": [ { "source": "hook", "target": "finish" }, { "source": "waiting", "target": "finish" } ] }
            """);
        try
        {
            var import = await server.RunAsync("workflow", "import", file, "--publish");
            Assert.True(import.ExitCode == 0, import.Error + import.Output);
            Assert.Contains("(published)", import.Output);
            var listed = await server.RunAsync("workflow", "triggers");
            Assert.Contains($"POST /api/hooks/{path} (role operator)", listed.Output);

            var operatorKey = await CreateKeyAsync($"op-{tag}", "operator");
            var viewerKey = await CreateKeyAsync($"view-{tag}", "viewer");
            var url = $"{server.Server.Url.TrimEnd('/')}/api/hooks/{path}";

            var (status, body) = await CurlAsync(operatorKey, "POST", url, """{ "name": "ann", "times": 2 }""", "Idempotency-Key: first-call");
            Assert.True(status == 202, body);
            var instanceId = JsonNode.Parse(body)!["instanceId"]!.GetValue<string>();
            var (again, againBody) = await CurlAsync(operatorKey, "POST", url, """{ "name": "ann", "times": 2 }""", "Idempotency-Key: first-call");
            Assert.Equal((202, instanceId), (again, JsonNode.Parse(againBody)!["instanceId"]!.GetValue<string>()));

            var instance = await WaitEndedAsync(operatorKey, $"{server.Server.Url.TrimEnd('/')}/api/instances/{instanceId}");
            Assert.True(instance["status"]!.GetValue<string>() == "Finished", instance.ToJsonString());
            Assert.Equal("hello ann x2", instance["output"]!["greeting"]!.GetValue<string>());
            Assert.Equal(("hook", "Trigger.Http", path), (instance["trigger"]!["activityId"]!.GetValue<string>(),
                instance["trigger"]!["type"]!.GetValue<string>(), instance["trigger"]!["payload"]!["path"]!.GetValue<string>()));

            // The waiting hook answers the output; the query string is the input when there is no body.
            var (waited, waitedBody) = await CurlAsync(operatorKey, "POST", $"{url}/wait?name=bob&times=3");
            Assert.True(waited == 200, waitedBody);
            Assert.Equal(("Finished", "hello bob x3"), (JsonNode.Parse(waitedBody)!["status"]!.GetValue<string>(),
                JsonNode.Parse(waitedBody)!["output"]!["greeting"]!.GetValue<string>()));

            var (forbidden, forbiddenBody) = await CurlAsync(viewerKey, "POST", url, """{ "name": "eve" }""");
            Assert.Equal(403, forbidden);
            Assert.Contains("requires the role operator", forbiddenBody);
            Assert.Equal(404, (await CurlAsync(operatorKey, "POST", $"{server.Server.Url.TrimEnd('/')}/api/hooks/no/such/{tag}", "{}")).Status);
            var (wrongMethod, _) = await CurlAsync(operatorKey, "GET", url);
            Assert.Equal(405, wrongMethod);
            var (missing, missingBody) = await CurlAsync(operatorKey, "POST", url, """{ "times": 1 }""");
            Assert.Equal(400, missing);
            Assert.Contains("\"input.name\"", missingBody);
            Assert.Contains("'name' is required", missingBody);
            Assert.Equal(401, (await CurlAsync("wrong-key", "POST", url, """{ "name": "x" }""")).Status);

            var unpublish = await server.RunAsync("workflow", "unpublish", $"greet-{tag}");
            Assert.True(unpublish.ExitCode == 0, unpublish.Error);
            Assert.Equal(404, (await CurlAsync(operatorKey, "POST", url, """{ "name": "late" }""")).Status);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<string> CreateKeyAsync(string name, string role)
    {
        var created = await server.RunAsync("key", "create", name, "--role", role, "--output", "json");
        Assert.True(created.ExitCode == 0, created.Error);
        return JsonNode.Parse(created.Output)!["key"]!.GetValue<string>();
    }

    /// <summary>Reads the instance until it has ended (60 s deadline).</summary>
    private static async Task<JsonNode> WaitEndedAsync(string key, string url)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var instance = JsonNode.Parse((await CurlAsync(key, "GET", url)).Body)!;
            if (instance["status"]?.GetValue<string>() is "Finished" or "Faulted" or "Cancelled" || deadline.Elapsed > TimeSpan.FromSeconds(60)) return instance;
            await Task.Delay(100);
        }
    }

    /// <summary>Runs curl as a user would and returns the status code and body.</summary>
    private static async Task<(int Status, string Body)> CurlAsync(string key, string method, string url, string? json = null, string? header = null)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-s", "-w", "\n%{http_code}", "-H", $"X-Api-Key: {key}", "-X", method, url }) start.ArgumentList.Add(a);
        if (header is not null) { start.ArgumentList.Add("-H"); start.ArgumentList.Add(header); }
        if (json is not null)
            foreach (var a in new[] { "-H", "Content-Type: application/json", "-d", json }) start.ArgumentList.Add(a);
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        var split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..]), output[..split]);
    }
}
