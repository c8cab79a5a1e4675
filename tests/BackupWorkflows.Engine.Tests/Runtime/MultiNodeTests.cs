using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;

namespace BackupWorkflows.Engine.Tests.Runtime;

/// <summary>Two nodes on one database race to claim the same due timers; each instance must run exactly once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiNodeTests(PostgresCluster postgres)
{
    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task TwoNodes_ClaimDueTimersByConditionalUpdate_NoInstanceRunsTwice(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-nodes-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        await using var a = await EngineHost.StartAsync(provider, postgres, o => o.NodeId = "node-a", connection: connection);
        await using var b = await EngineHost.StartAsync(provider, postgres, o => o.NodeId = "node-b", connection: connection);
        await a.PublishAsync("""
            { "id": "nap", "activities": [
                { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": 0.5 } },
                { "id": "r", "type": "Test.Record", "inputs": { "log": "{{ instance.id }}", "text": "once" } } ],
              "connections": [ { "source": "wait", "target": "r" } ] }
            """);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++) ids.Add(await (i % 2 == 0 ? a : b).Runtime.StartAsync("nap"));

        foreach (var id in ids)
        {
            Assert.Equal(WorkflowStatus.Finished, (await a.WaitAsync(id)).Status);
            Assert.Equal(["r:once"], RecordActivity.Calls[id]);
            var journal = await a.JournalAsync(id);
            Assert.Single(journal, j => j is { ActivityId: "r", Status: ExecutionStatus.Completed });
            Assert.DoesNotContain(journal, j => j.Status is ExecutionStatus.Interrupted or ExecutionStatus.Faulted);
        }
    }
}
