using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Tests.Triggers;

/// <summary>
/// Trigger activities: indexed when a version is published, replaced when another is, dropped when the
/// definition is unpublished or deleted; their settings are checked on save; a triggered instance begins at
/// its trigger and records it; a plain start skips the triggers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TriggerIndexTests(PostgresCluster postgres)
{
    private static string HookFlow(string id, string path, string log, string role = "operator") => $$$"""
        { "id": "{{{id}}}",
          "inputs": [ { "name": "text", "type": "string", "required": true } ],
          "activities": [
            { "id": "hook", "type": "Trigger.Http", "inputs": { "path": "{{{path}}}", "method": "POST", "role": "{{{role}}}" } },
            { "id": "nightly", "type": "Trigger.Cron", "inputs": { "cron": "*/10 * * * * ?", "timeZone": "Europe/Berlin", "input": { "text": "cron" } } },
            { "id": "start", "type": "Flow.Start" },
            { "id": "r", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "{{ input.text }}" } } ],
          "connections": [ { "source": "hook", "target": "r" }, { "source": "nightly", "target": "r" }, { "source": "start", "target": "r" } ] }
        """;

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Publish_IndexesTriggers_NewVersionReplaces_UnpublishAndDeleteDrop(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var index = engine.Services.GetRequiredService<IWorkflowTriggers>();
        var changes = 0;
        index.Changed += () => Interlocked.Increment(ref changes);

        await engine.Store.ImportAsync(HookFlow("hooked", "Orders/New/", "idx"), publish: false);
        Assert.Empty(await index.ListAsync()); // a draft triggers nothing

        await engine.Store.PublishAsync("hooked");
        var rows = await index.ListAsync();
        Assert.Equal([("Trigger.Cron", "hooked/nightly", 1), ("Trigger.Http", "POST orders/new", 1)],
            rows.OrderBy(r => r.Type).Select(r => (r.Type, r.Key, r.DefinitionVersion)));
        var hook = Assert.Single(await index.ListAsync(HttpTrigger.TypeName));
        Assert.Equal(("operator", 0), (hook.Settings["role"]!.GetValue<string>(), hook.Settings["waitSeconds"]!.GetValue<int>()));
        Assert.Equal("Europe/Berlin", (await index.FindAsync(CronTrigger.TypeName, "hooked/nightly"))!.Settings["timeZone"]!.GetValue<string>());

        // A new published version supersedes the old one's triggers.
        await engine.Store.ImportAsync(HookFlow("hooked", "orders/v2", "idx"), publish: true);
        Assert.Null(await index.FindAsync(HttpTrigger.TypeName, "POST orders/new"));
        Assert.Equal(2, (await index.FindAsync(HttpTrigger.TypeName, "POST orders/v2"))!.DefinitionVersion);

        Assert.True(await engine.Store.UnpublishAsync("hooked"));
        Assert.Empty(await index.ListAsync());
        await Assert.ThrowsAsync<WorkflowNotPublishedException>(() => engine.Runtime.StartAsync("hooked", new JsonObject { ["text"] = "x" }));

        await engine.Store.PublishAsync("hooked");
        Assert.Equal(2, (await index.ListAsync()).Count);
        Assert.True(await engine.Store.DeleteAsync("hooked"));
        Assert.Empty(await index.ListAsync());
        Assert.True(changes >= 4);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task HttpPathOfAnotherPublishedWorkflow_IsRefused_AndNothingChanges(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync(HookFlow("first", "shared/path", "dup"));
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.PublishAsync(HookFlow("second", "/shared/path", "dup")));
        Assert.Contains(e.Problems, p => p.ActivityId == "hook" && p.Message.Contains("'POST shared/path' is already used by the published workflow 'first'"));
        var index = engine.Services.GetRequiredService<IWorkflowTriggers>();
        Assert.Equal("first", (await index.FindAsync(HttpTrigger.TypeName, "POST shared/path"))!.DefinitionId);
        Assert.Null(await engine.Store.GetAsync("second")); // the import was one transaction: nothing was saved
    }

    [Fact]
    public async Task BadTriggerSettings_AreRefusedOnSave_NamingEachInput()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync("""
            { "id": "bad", "inputs": [ { "name": "p", "type": "string" } ],
              "activities": [
                { "id": "hook", "type": "Trigger.Http", "inputs": { "path": "../etc", "method": "TRACE", "role": "root", "waitSeconds": 900 } },
                { "id": "cron", "type": "Trigger.Cron", "inputs": { "cron": "61 * * * * ?", "timeZone": "Mars/Base" } },
                { "id": "bound", "type": "Trigger.Http", "inputs": { "path": "{{ input.p }}" } },
                { "id": "r", "type": "Test.Record", "inputs": { "log": "bad" } } ],
              "connections": [ { "source": "hook", "target": "r" }, { "source": "cron", "target": "r" }, { "source": "bound", "target": "r" },
                               { "source": "r", "target": "cron" } ] }
            """, publish: true));
        var paths = e.Problems.Select(p => $"{p.ActivityId}:{p.Path}").ToList();
        foreach (var expected in new[] { "hook:inputs.path", "hook:inputs.method", "hook:inputs.role", "hook:inputs.waitSeconds",
                     "cron:inputs.cron", "cron:inputs.timeZone", "bound:inputs.path" })
            Assert.Contains(expected, paths);
        Assert.Contains(e.Problems, p => p.ActivityId == "cron" && p.Message.Contains("nothing may connect into it"));
        Assert.Null(await engine.Store.GetAsync("bad"));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task TriggeredStart_BeginsAtItsTrigger_AndRecordsIt_PlainStartBeginsAtStart(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"trig-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(HookFlow("triggered", $"t/{log}", log));
        var payload = new JsonObject { ["method"] = "POST", ["path"] = $"t/{log}" };
        var id = await engine.Runtime.StartAsync("triggered", new JsonObject { ["text"] = "by hook" },
            new StartOptions { Trigger = new TriggerStart("hook", HttpTrigger.TypeName, payload) });
        var info = await engine.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(["hook", "r"], (await engine.JournalAsync(id)).Select(j => j.ActivityId));
        var recorded = (await engine.Queries.GetAsync(id))!.Trigger!;
        Assert.Equal(("hook", "Trigger.Http", $"t/{log}"), (recorded.ActivityId, recorded.Type, recorded.Payload!["path"]!.GetValue<string>()));

        var plain = await engine.RunAsync("triggered", new JsonObject { ["text"] = "plain" });
        Assert.Equal(["start", "r"], (await engine.JournalAsync(plain.Id)).Select(j => j.ActivityId));
        Assert.Null((await engine.Queries.GetAsync(plain.Id))!.Trigger);
        Assert.Equal(["r:by hook", "r:plain"], RecordActivity.Calls[log]);

        // A trigger start still validates the input against the declared inputs, naming what is wrong.
        var e = await Assert.ThrowsAsync<WorkflowInputException>(() => engine.Runtime.StartAsync("triggered", new JsonObject { ["other"] = 1 },
            new StartOptions { Trigger = new TriggerStart("hook", HttpTrigger.TypeName, null) }));
        Assert.Contains("text", e.ByInput.Keys);
        Assert.Contains("other", e.ByInput.Keys);
    }
}
