using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Testing.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task RunningInstance_LeaseIsRenewed_SoAnotherNodeNeverTakesItOver(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-lease-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        void Lease(WorkflowEngineOptions o) => o.LeaseDuration = TimeSpan.FromSeconds(3);
        await using var a = await EngineHost.StartAsync(provider, postgres, o => { Lease(o); o.NodeId = "node-a"; }, connection: connection);
        await using var b = await EngineHost.StartAsync(provider, postgres, o => { Lease(o); o.NodeId = "node-b"; }, connection: connection);
        var gate = $"lease-{provider}-{Guid.NewGuid():N}";
        await a.PublishAsync($$"""{ "id": "long", "activities": [ { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{gate}}" } } ] }""");
        var id = await a.Runtime.StartAsync("long");
        await Gates.Entered(gate).Task.WithDeadline();

        var database = a.Services.GetRequiredService<EngineDatabase>();
        async Task<(string? Owner, long Lease)> Row()
        {
            await using var db = await database.CreateAsync();
            var row = await db.Instances.SingleAsync(i => i.Id == id);
            return (row.OwnerNode, row.LeaseExpiresAt);
        }
        var first = await Row();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var now = first;
        while (now.Lease < first.Lease + 4000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100); // polling the real database until the lease was renewed well past its first expiry
            now = await Row();
        }
        Assert.True(now.Lease >= first.Lease + 4000, "the lease was not renewed");
        Assert.Equal("node-a", now.Owner); // node-b polled all along but never claimed it
        Assert.Equal(1, Gates.Count(gate));

        Gates.Release(gate);
        Assert.Equal(WorkflowStatus.Finished, (await a.WaitAsync(id)).Status);
        Assert.Equal(1, Assert.Single(await a.JournalAsync(id)).Attempt);
    }
}
