using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Cli.Tests;

/// <summary>
/// A flow with <c>Trigger.Event backup.failed</c> and <c>Notify.Webhook</c>, published with <c>bwf workflow import
/// --publish</c> on a real server: a backup of a VM that does not exist fails, its end raises <c>backup.failed</c>, and
/// a real HTTP sink the test started receives the webhook with the event's payload; <c>bwf workflow triggers</c> lists
/// the event trigger with its filter.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class EventTriggerTests(CliServer server)
{
    [Fact]
    public async Task FailedBackup_RaisesBackupFailed_AndThePublishedFlowPostsTheWebhook()
    {
        await using var sink = HttpSink.Start();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var vm = $"no-such-vm-{tag}";
        var file = Path.Combine(Path.GetTempPath(), $"on-failure-{tag}.json");
        await File.WriteAllTextAsync(file, $$$"""
            { "id": "on-failure-{{{tag}}}",
              "inputs": [ { "name": "url", "type": "string", "required": true }, { "name": "vm", "type": "string" },
                          { "name": "host", "type": "string" }, { "name": "instanceId", "type": "string" }, { "name": "error", "type": "string" } ],
              "activities": [
                { "id": "failed", "type": "Trigger.Event", "inputs": { "event": "backup.failed", "vm": "{{{vm}}}", "input": { "url": "{{{sink.Url}}}failed" } } },
                { "id": "notify", "type": "Notify.Webhook", "inputs": { "url": "{{ input.url }}",
                    "payload": { "vm": "{{ input.vm }}", "host": "{{ input.host }}", "instanceId": "{{ input.instanceId }}", "error": "{{ input.error }}" },
                    "secretHeaders": { "Authorization": "Bearer t-{{{tag}}}" } } } ],
              "connections": [ { "source": "failed", "target": "notify" } ] }
            """);
        try
        {
            var import = await server.RunAsync("workflow", "import", file, "--publish");
            Assert.True(import.ExitCode == 0, import.Error + import.Output);
            var listed = await server.RunAsync("workflow", "triggers");
            Assert.Contains($"event backup.failed (vm={vm})", listed.Output);

            var run = await server.RunAsync("workflow", "run", "backup", "--input", $"host=no-such-host-{tag}", $"vm={vm}", "--wait", "--output", "json");
            Assert.True(run.ExitCode != 0, run.Output); // the backup faulted
            var backupInstance = JsonNode.Parse(run.Output)!["id"]!.GetValue<string>();

            var received = await Eventually.UntilAsync(() => Task.FromResult(sink.Requests.FirstOrDefault()), "the webhook reached the sink", TimeSpan.FromSeconds(60));
            var body = JsonNode.Parse(received.Body)!;
            Assert.Equal((vm, $"no-such-host-{tag}", backupInstance), (body["vm"]!.GetValue<string>(), body["host"]!.GetValue<string>(),
                body["instanceId"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
            Assert.Equal($"Bearer t-{tag}", received.Headers["Authorization"]);

            var unpublish = await server.RunAsync("workflow", "unpublish", $"on-failure-{tag}");
            Assert.True(unpublish.ExitCode == 0, unpublish.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
