using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Definitions;

[Collection(PostgresCollection.Name)]
public sealed class DefinitionStoreTests(PostgresCluster postgres)
{
    private static string Flow(string text) => $$"""
        { "id": "greet", "name": "Greet",
          "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "greet", "text": "{{text}}" }, "position": { "x": 10, "y": 20 } } ] }
        """;

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Versions_DraftPublishRevert_KeepOldVersionsAndOnePublished(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var store = engine.Store;
        var v1 = await store.SaveDraftAsync(DefinitionJson.Parse(Flow("one")));
        var v1Again = await store.SaveDraftAsync(DefinitionJson.Parse(Flow("one bis")));
        Assert.Equal((1, 1), (v1.Version, v1Again.Version)); // an unpublished draft is overwritten
        await store.PublishAsync("greet");
        var v2 = await store.SaveDraftAsync(DefinitionJson.Parse(Flow("two")));
        Assert.Equal(2, v2.Version);                          // a published version is never overwritten

        Assert.Equal("one bis", (await store.GetPublishedAsync("greet"))!.Activities[0].Inputs["text"]!.GetValue<string>());
        Assert.Equal(2, (await store.GetAsync("greet"))!.Version);
        await store.PublishAsync("greet", 2);
        var versions = await store.ListVersionsAsync("greet");
        Assert.Equal([(1, false), (2, true)], versions.Select(v => (v.Version, v.IsPublished)));

        var reverted = await store.RevertAsync("greet", 1);
        Assert.Equal(3, reverted.Version);
        Assert.False(reverted.IsPublished);
        Assert.Equal("one bis", reverted.Activities[0].Inputs["text"]!.GetValue<string>());
        var summary = Assert.Single(await store.ListAsync());
        Assert.Equal((3, (int?)2), (summary.LatestVersion, summary.PublishedVersion));
        var exported = await store.ExportAsync("greet", 1);
        Assert.Contains("\"position\"", exported);
        Assert.Equal(10, DefinitionJson.Parse(exported).Activities[0].Position!.X);

        Assert.True(await store.DeleteAsync("greet"));
        Assert.Empty(await store.ListAsync());
        Assert.Null(await store.GetAsync("greet"));
        var recreated = await store.SaveDraftAsync(DefinitionJson.Parse(Flow("new life")));
        Assert.Equal(4, recreated.Version); // numbers are never reused: cached plans stay correct
        Assert.Equal([4], (await store.ListVersionsAsync("greet")).Select(v => v.Version));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Import_SameContentTwice_WritesNoNewVersion(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var first = await engine.Store.ImportAsync(Flow("hello"), publish: true);
        var second = await engine.Store.ImportAsync(Flow("hello"), publish: true);
        var changed = await engine.Store.ImportAsync(Flow("changed"), publish: false);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.True(changed.Created);
        Assert.Equal([1, 2], (await engine.Store.ListVersionsAsync("greet")).Select(v => v.Version));
        Assert.Equal(1, (await engine.Store.GetPublishedAsync("greet"))!.Version);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Start_DraftOnlyOrUnknownOrMissingInput_IsClearErrorAndCreatesNoInstance(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.Store.ImportAsync(Flow("draft"), publish: false);
        var notPublished = await Assert.ThrowsAsync<WorkflowNotPublishedException>(() => engine.Runtime.StartAsync("greet"));
        Assert.Contains("no published version", notPublished.Message);
        await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() => engine.Runtime.StartAsync("nope"));

        await engine.PublishAsync("""
            { "id": "needs", "inputs": [ { "name": "vmId", "type": "string", "required": true } ],
              "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "needs", "text": "{{ input.vmId }}" } } ] }
            """);
        var input = await Assert.ThrowsAsync<WorkflowInputException>(() => engine.Runtime.StartAsync("needs", new() { ["vmId"] = 42 }));
        Assert.Contains("'vmId' must be string", input.Message);
        await Assert.ThrowsAsync<WorkflowInputException>(() => engine.Runtime.StartAsync("needs"));
        Assert.Equal(0, (await engine.Queries.ListAsync()).Total);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Instance_StaysOnTheVersionItStartedWith(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var gate = $"pin-{provider}-{Guid.NewGuid():N}";
        string Versioned(string text) => $$"""
            { "id": "pinned", "activities": [
                { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{gate}}" } },
                { "id": "r", "type": "Test.Record", "inputs": { "log": "{{gate}}", "text": "{{text}}" } } ],
              "connections": [ { "source": "g", "target": "r" } ] }
            """;
        await engine.PublishAsync(Versioned("v1"));
        var id = await engine.Runtime.StartAsync("pinned");
        await Gates.Entered(gate).Task.WithDeadline();
        await engine.PublishAsync(Versioned("v2"));
        Gates.Release(gate);
        var info = await engine.WaitAsync(id);
        Assert.Equal((WorkflowStatus.Finished, 1), (info.Status, info.DefinitionVersion));
        Assert.Equal("v1", info.Outputs!["r"]!["echo"]!.GetValue<string>());
        Assert.Equal(2, (await engine.Store.GetPublishedAsync("pinned"))!.Version);
    }
}
