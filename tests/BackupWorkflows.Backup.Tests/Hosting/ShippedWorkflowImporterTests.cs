using BackupWorkflows.Backup.Hosting;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Outcome = BackupWorkflows.Backup.Hosting.ShippedWorkflowImporter.Outcome;

namespace BackupWorkflows.Backup.Tests.Hosting;

/// <summary>Shipped workflows reach new installations and untouched ones, never over the operator's versions
/// (real engine and backup tables on SQLite).</summary>
[Trait("Category", "Unit")]
public sealed class ShippedWorkflowImporterTests
{
    private static string Shipped(string description) => $$"""
        {
          "id": "shipped-test", "name": "Shipped test", "description": "{{description}}",
          "activities": [
            { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
            { "id": "finish", "type": "Flow.Finish", "position": { "x": 0, "y": 100 } }
          ],
          "connections": [ { "source": "start", "target": "finish" } ]
        }
        """;

    [Fact]
    public async Task NewReleases_ArePublished_UntilTheOperatorMakesAVersion_WhichIsThenKept()
    {
        await using var harness = await BackupHarness.StartAsync(register: false);
        var store = harness.Services.GetRequiredService<IWorkflowDefinitionStore>();
        Task<IReadOnlyDictionary<string, Outcome>> StartWith(string json) => ImportAsync(harness, json);

        Assert.Equal(Outcome.Imported, (await StartWith(Shipped("release 1")))["shipped-test"]);
        Assert.Equal(Outcome.Unchanged, (await StartWith(Shipped("release 1")))["shipped-test"]);
        Assert.Equal(Outcome.Upgraded, (await StartWith(Shipped("release 2")))["shipped-test"]);
        Assert.Equal((2, "release 2"), await PublishedAsync(store));

        // The operator edits and publishes v3 in the studio; restarts and a new release leave it alone.
        var edited = (await store.GetAsync("shipped-test"))!;
        edited.Description = "the operator's";
        await store.SaveDraftAsync(edited);
        await store.PublishAsync("shipped-test");
        Assert.Equal(Outcome.Unchanged, (await StartWith(Shipped("release 2")))["shipped-test"]);
        Assert.Equal(Outcome.KeptOperatorVersion, (await StartWith(Shipped("release 3")))["shipped-test"]);
        Assert.Equal((3, "the operator's"), await PublishedAsync(store));

        // An unpublished draft of the operator is not overwritten either.
        var draft = (await store.GetAsync("shipped-test"))!;
        draft.Description = "work in progress";
        await store.SaveDraftAsync(draft);
        Assert.Equal(Outcome.KeptOperatorVersion, (await StartWith(Shipped("release 3")))["shipped-test"]);
        Assert.Equal("work in progress", (await store.GetAsync("shipped-test"))!.Description);
        Assert.Equal((3, "the operator's"), await PublishedAsync(store));
    }

    [Fact]
    public async Task ShippedWorkflows_AreAllImportedAndPublished_ExamplesOnlyImported_OnceAtStart()
    {
        await using var harness = await BackupHarness.StartAsync(register: false);
        var store = harness.Services.GetRequiredService<IWorkflowDefinitionStore>();
        var ids = ShippedWorkflows.All().Select(w => DefinitionJson.Parse(w.Json).Id).ToList();
        Assert.Contains("backup", ids);
        Assert.Contains("notify-on-failure", ids);
        foreach (var id in ids.Except(ShippedWorkflowImporter.Examples)) Assert.True((await store.GetPublishedAsync(id))?.Version == 1, id);
        // Examples need the operator's settings first: imported as v1, switched on only by publishing.
        foreach (var id in ShippedWorkflowImporter.Examples)
        {
            Assert.Null(await store.GetPublishedAsync(id));
            Assert.Equal([1], (await store.ListVersionsAsync(id)).Select(v => v.Version));
        }
        Assert.All((await ImportAsync(harness, ShippedWorkflows.All().ToArray())).Values, o => Assert.Equal(Outcome.Unchanged, o));
    }

    private static async Task<IReadOnlyDictionary<string, Outcome>> ImportAsync(BackupHarness harness, params (string, string)[] shipped)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ShippedWorkflowImporter>().ImportAsync(shipped, CancellationToken.None);
    }

    private static Task<IReadOnlyDictionary<string, Outcome>> ImportAsync(BackupHarness harness, string json) =>
        ImportAsync(harness, ("shipped-test.json", json));

    private static async Task<(int, string?)> PublishedAsync(IWorkflowDefinitionStore store)
    {
        var published = (await store.GetPublishedAsync("shipped-test"))!;
        return (published.Version, published.Description);
    }
}
