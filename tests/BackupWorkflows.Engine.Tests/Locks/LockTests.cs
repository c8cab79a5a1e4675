using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Locks;

[Collection(PostgresCollection.Name)]
public sealed class LockTests(PostgresCluster postgres)
{
    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task DeclaredVmLock_SecondInstanceOfSameVmWaits_OtherVmRuns_ReleasedOnFinish(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "backup-vm", "inputs": [ { "name": "vmId", "type": "string" }, { "name": "gate", "type": "string" } ],
              "locks": [ { "name": "vm:{{ input.vmId }}" } ],
              "activities": [ { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{ input.gate }}" } } ] }
            """);
        var prefix = $"vmlock-{provider}-{Guid.NewGuid():N}";
        async Task<string> Start(string vm, string gate) =>
            await engine.Runtime.StartAsync("backup-vm", new JsonObject { ["vmId"] = vm, ["gate"] = $"{prefix}-{gate}" });

        var a = await Start("1", "a");
        await Gates.Entered($"{prefix}-a").Task.WithDeadline();
        var b = await Start("1", "b");
        var waiting = await engine.WaitAsync(b, untilIdle: true);
        Assert.Equal((WorkflowStatus.Waiting, "vm:1"), (waiting.Status, waiting.WaitingFor));
        var c = await Start("2", "c");
        await Gates.Entered($"{prefix}-c").Task.WithDeadline(); // another VM is not blocked
        Assert.Equal(0, Gates.Count($"{prefix}-b"));

        Gates.Release($"{prefix}-a");
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(a)).Status);
        await Gates.Entered($"{prefix}-b").Task.WithDeadline(); // granted once A released it
        Gates.Release($"{prefix}-b");
        Gates.Release($"{prefix}-c");
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(b)).Status);
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(c)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task HostSemaphore_LimitTwo_GrantsInRequestOrder_AndCancelReleases(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "per-host", "inputs": [ { "name": "gate", "type": "string" } ],
              "activities": [ { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{ input.gate }}", "lock": "host:h1:backups", "lockLimit": 2 } } ] }
            """);
        var prefix = $"sem-{provider}-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add(await engine.Runtime.StartAsync("per-host", new JsonObject { ["gate"] = $"{prefix}-{i}" }));
            if (i <= 2) await Gates.Entered($"{prefix}-{i}").Task.WithDeadline();
            else Assert.Equal(WorkflowStatus.Waiting, (await engine.WaitAsync(ids[^1], untilIdle: true)).Status);
        }

        Assert.True(await engine.Runtime.CancelAsync(ids[0])); // cancel releases the slot...
        await Gates.Entered($"{prefix}-3").Task.WithDeadline(); // ...to the earliest waiter
        Assert.Equal(0, Gates.Count($"{prefix}-4"));
        Gates.Release($"{prefix}-2");
        await Gates.Entered($"{prefix}-4").Task.WithDeadline();
        Gates.Release($"{prefix}-3");
        Gates.Release($"{prefix}-4");
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(ids[0])).Status);
        foreach (var id in ids.Skip(1)) Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(id)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task SemaphoreWithChangingLimit_ZeroHoldsEveryone_RaisingItLetsWaitersIn(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var prefix = $"dyn-{provider}-{Guid.NewGuid():N}";
        GateActivity.Limits[prefix] = 0;
        await engine.PublishAsync($$$"""
            { "id": "dyn", "inputs": [ { "name": "gate", "type": "string" } ],
              "activities": [ { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{ input.gate }}", "lock": "host:{{{prefix}}}", "limitKey": "{{{prefix}}}" } } ] }
            """);
        // b starts only once a waits: claims queue in the order they were made, and two instances started
        // together may make theirs in either order.
        var a = await engine.Runtime.StartAsync("dyn", new JsonObject { ["gate"] = $"{prefix}-a" });
        var waiting = await engine.WaitAsync(a, untilIdle: true);
        Assert.Equal((WorkflowStatus.Waiting, $"host:{prefix}"), (waiting.Status, waiting.WaitingFor));
        var b = await engine.Runtime.StartAsync("dyn", new JsonObject { ["gate"] = $"{prefix}-b" });
        Assert.Equal(WorkflowStatus.Waiting, (await engine.WaitAsync(b, untilIdle: true)).Status);

        GateActivity.Limits[prefix] = 1; // read again at the next poll
        await Gates.Entered($"{prefix}-a").Task.WithDeadline();
        Assert.Equal(WorkflowStatus.Waiting, (await engine.WaitAsync(b, untilIdle: true)).Status);
        Assert.Equal(0, Gates.Count($"{prefix}-b"));
        GateActivity.Limits[prefix] = 2;
        await Gates.Entered($"{prefix}-b").Task.WithDeadline();
        Gates.Release($"{prefix}-a");
        Gates.Release($"{prefix}-b");
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(a)).Status);
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(b)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task HeldLock_SurvivesEngineRestart_AndIsReleasedWhenTheResumedInstanceFaults(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-lock-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        var prefix = $"restart-{provider}-{Guid.NewGuid():N}";
        const string flow = """
            { "id": "locked", "inputs": [ { "name": "gate", "type": "string" }, { "name": "fail", "type": "boolean" } ],
              "locks": [ { "name": "vm:7" } ],
              "activities": [
                { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{ input.gate }}" } },
                { "id": "check", "type": "Flow.Decision", "inputs": { "condition": "{{ input.fail }}" } },
                { "id": "boom", "type": "Flow.Fault", "inputs": { "message": "disk vanished" } } ],
              "connections": [ { "source": "g", "target": "check" }, { "source": "check", "outcome": "True", "target": "boom" } ] }
            """;
        string holder;
        await using (var first = await EngineHost.StartAsync(provider, postgres, connection: connection))
        {
            await first.PublishAsync(flow);
            holder = await first.Runtime.StartAsync("locked", new JsonObject { ["gate"] = $"{prefix}-holder", ["fail"] = true });
            await Gates.Entered($"{prefix}-holder").Task.WithDeadline();
        } // graceful stop: the holder is interrupted mid-activity but keeps its lock

        await using var second = await EngineHost.StartAsync(provider, postgres, connection: connection);
        var waiter = await second.Runtime.StartAsync("locked", new JsonObject { ["gate"] = $"{prefix}-waiter", ["fail"] = false });
        Assert.Equal(WorkflowStatus.Waiting, (await second.WaitAsync(waiter, untilIdle: true)).Status);
        Gates.Release($"{prefix}-holder"); // the resumed holder passes its gate, then faults
        var faulted = await second.WaitAsync(holder);
        Assert.Equal(WorkflowStatus.Faulted, faulted.Status);
        Assert.True((await second.JournalAsync(holder)).Single(j => j.ActivityId == "g" && j.Status == Journal.ExecutionStatus.Completed).IsResume);
        await Gates.Entered($"{prefix}-waiter").Task.WithDeadline(); // the fault released the lock
        Gates.Release($"{prefix}-waiter");
        Assert.Equal(WorkflowStatus.Finished, (await second.WaitAsync(waiter)).Status);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CrossNodeLockTests(PostgresCluster postgres)
{
    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task ExclusiveLock_TwoNodesContending_NeverHeldTwiceAtOnce(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-xlock-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        await using var a = await EngineHost.StartAsync(provider, postgres, o => o.NodeId = "node-a", connection: connection);
        await using var b = await EngineHost.StartAsync(provider, postgres, o => o.NodeId = "node-b", connection: connection);
        var lockName = $"vm:{provider}-{Guid.NewGuid():N}";
        await a.PublishAsync($$"""{ "id": "x", "activities": [ { "id": "x", "type": "Test.Exclusive", "inputs": { "lock": "{{lockName}}" } } ] }""");
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).Runtime.StartAsync("x")));
        foreach (var id in ids) Assert.Equal(WorkflowStatus.Finished, (await a.WaitAsync(id, timeoutSeconds: 60)).Status);
        Assert.Equal(1, ExclusiveActivity.MaxInside[lockName]);
    }
}
