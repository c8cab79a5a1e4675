using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Tests.Compression;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackupWorkflows.Backup.Tests.Jobs;

/// <summary>Old finished instances go, faulted ones stay, 0 keeps everything (real engine on SQLite).</summary>
[Trait("Category", "Unit")]
public sealed class InstanceRetentionTests
{
    private static string Workflow(string id, string last, string inputs) => $$"""
        {
          "id": "{{id}}", "name": "{{id}}",
          "activities": [
            { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
            { "id": "end", "type": "{{last}}", "position": { "x": 0, "y": 100 }, "inputs": {{{inputs}}} }
          ],
          "connections": [ { "source": "start", "target": "end" } ]
        }
        """;

    [Fact]
    public async Task PurgeOnce_DeletesFinishedInstancesPastTheRetention_KeepsFaultedOnes()
    {
        await using var harness = await BackupHarness.StartAsync(register: false);
        var store = harness.Services.GetRequiredService<IWorkflowDefinitionStore>();
        await store.ImportAsync(Workflow("retention-ok", "Flow.Finish", ""), publish: true);
        await store.ImportAsync(Workflow("retention-fault", "Flow.Fault", "\"message\": \"on purpose\""), publish: true);
        var finished = await harness.RunAsync("retention-ok", []);
        var faulted = await harness.RunAsync("retention-fault", []);
        Assert.Equal((WorkflowStatus.Finished, WorkflowStatus.Faulted), (finished.Status, faulted.Status));
        var queries = harness.Services.GetRequiredService<IWorkflowInstanceQueries>();

        Assert.Equal(0, await RetentionAt(harness, TimeSpan.FromDays(29)).PurgeOnceAsync(default)); // default 30 days
        await harness.SetAsync(SettingCatalog.InstancesRetentionDays, "0");
        Assert.Equal(0, await RetentionAt(harness, TimeSpan.FromDays(365)).PurgeOnceAsync(default));
        Assert.NotNull(await queries.GetAsync(finished.Id));

        await harness.SetAsync(SettingCatalog.InstancesRetentionDays, "7");
        Assert.True(await RetentionAt(harness, TimeSpan.FromDays(8)).PurgeOnceAsync(default) >= 1);
        Assert.Null(await queries.GetAsync(finished.Id));
        Assert.Empty(await queries.GetJournalAsync(finished.Id));
        Assert.Equal(WorkflowStatus.Faulted, (await queries.GetAsync(faulted.Id))?.Status);
    }

    private static InstanceRetention RetentionAt(BackupHarness harness, TimeSpan ahead) =>
        new(harness.Services, new Later(ahead), NullLogger<InstanceRetention>.Instance);

    /// <summary>The real clock moved ahead: instances that just ended look that old.</summary>
    private sealed class Later(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
