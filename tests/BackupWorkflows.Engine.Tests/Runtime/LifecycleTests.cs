using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Runtime;

[Collection(PostgresCollection.Name)]
public sealed class LifecycleTests(PostgresCluster postgres)
{
    private static string GateFlow(string id, string gate) => $$"""
        { "id": "{{id}}", "activities": [
            { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{gate}}" } },
            { "id": "r", "type": "Test.Record", "inputs": { "log": "{{gate}}", "text": "after" } } ],
          "connections": [ { "source": "g", "target": "r" } ] }
        """;

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Cancel_ReachesTheActivityThroughItsToken_AndEndsCancelled(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var gate = $"cancel-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(GateFlow("cancel", gate));
        var id = await engine.Runtime.StartAsync("cancel");
        await Gates.Entered(gate).Task.WithDeadline();
        Assert.True(await engine.Runtime.CancelAsync(id));
        var info = await engine.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Cancelled, info.Status);
        Assert.True(GateActivity.SawCancellation[gate]);
        Assert.Equal(ExecutionStatus.Cancelled, Assert.Single(await engine.JournalAsync(id)).Status);
        Assert.False(RecordActivity.Calls.ContainsKey(gate));
        Assert.False(await engine.Runtime.CancelAsync(id));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Progress_IsReadableWhileRunning_PersistedAndStreamedAsEvents(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-progress-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        await using var engine = await EngineHost.StartAsync(provider, postgres, connection: connection);
        var gate = $"progress-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(GateFlow("progress", gate));
        var events = new List<WorkflowEvent>();
        using var subscription = engine.Events.Subscribe(e => { lock (events) events.Add(e); });
        var id = await engine.Runtime.StartAsync("progress");
        await Gates.Entered(gate).Task.WithDeadline();

        var live = Assert.Single(await engine.Queries.GetProgressAsync(id));
        Assert.Equal((1L, 4L, "waiting at gate"), (live.Done, live.Total, live.Message));
        // The persisted row is what another process (the API on another node) sees; poll it with a deadline.
        await using (var reader = await EngineHost.StartAsync(provider, postgres, o => { o.RunHostedService = false; o.NodeId = "reader"; }, connection: connection))
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await reader.Queries.GetProgressAsync(id)).SingleOrDefault()?.Done != 1 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.Equal("waiting at gate", Assert.Single(await reader.Queries.GetProgressAsync(id)).Message);
        }
        Gates.Release(gate);
        var info = await engine.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        var final = Assert.Single(await engine.Queries.GetProgressAsync(id));
        Assert.Equal((4L, 4L, "through"), (final.Done, final.Total, final.Message));

        lock (events)
        {
            var mine = events.Where(e => e.InstanceId == id).ToList();
            Assert.Contains(mine, e => e is { Kind: WorkflowEventKind.Progress, Done: 1, Total: 4 });
            Assert.Contains(mine, e => e is { Kind: WorkflowEventKind.ActivityStarted, ActivityId: "g" });
            Assert.Contains(mine, e => e.Kind == WorkflowEventKind.ActivityCompleted && e.ActivityId == "r" && e.Outcomes!.SequenceEqual(["Done"]));
            Assert.Equal(WorkflowStatus.Finished, mine.Last(e => e.Kind == WorkflowEventKind.InstanceStatusChanged).Status);
        }
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Delay_ThatSuspends_IsPublishedAsActivitySuspendedWithItsResumeMoment_NotAsCompleted(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "timer-events", "activities": [ { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": 60 } } ] }
            """);
        var events = new List<WorkflowEvent>();
        using var subscription = engine.Events.Subscribe(e => { lock (events) events.Add(e); });
        var id = await engine.Runtime.StartAsync("timer-events");
        var suspended = await engine.WaitAsync(id, untilIdle: true);
        Assert.Equal(WorkflowStatus.Suspended, suspended.Status);

        lock (events)
        {
            var wait = events.Where(e => e.InstanceId == id && e.ActivityId == "wait").ToList();
            var e = Assert.Single(wait, e => e.Kind == WorkflowEventKind.ActivitySuspended);
            // The moment the instance's answer gives: a watcher need not ask for it.
            Assert.Equal(suspended.ActivityResumeAt["wait"], e.ResumeAt);
            Assert.Null(e.Message);
            Assert.DoesNotContain(wait, e => e.Kind is WorkflowEventKind.ActivityCompleted or WorkflowEventKind.ActivityFaulted);
        }
        Assert.True(await engine.Runtime.CancelAsync(id));
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(id)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Delay_SuspendsDurably_AndAnotherEngineOnTheSameDatabaseFinishesIt(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-delay-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        var key = Guid.NewGuid().ToString("N");
        string id;
        await using (var first = await EngineHost.StartAsync(provider, postgres, connection: connection))
        {
            await first.PublishAsync($$$"""
                { "id": "sleepy", "activities": [
                    { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": 1.5 } },
                    { "id": "r", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "woke" } } ],
                  "connections": [ { "source": "wait", "target": "r" } ] }
                """);
            id = await first.Runtime.StartAsync("sleepy");
            var suspended = await first.WaitAsync(id, untilIdle: true);
            Assert.Equal(WorkflowStatus.Suspended, suspended.Status);
            Assert.NotNull(suspended.ResumeAt);
            Assert.Null(suspended.OwnerNode);
        } // this engine stops before the timer is due
        Assert.False(RecordActivity.Calls.ContainsKey(key));

        await using var second = await EngineHost.StartAsync(provider, postgres, o => o.NodeId = "other-node", connection: connection);
        var info = await second.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(["r:woke"], RecordActivity.Calls[key]);
        var journal = await second.JournalAsync(id);
        Assert.Equal([("wait", ExecutionStatus.Suspended), ("wait", ExecutionStatus.Completed), ("r", ExecutionStatus.Completed)],
            journal.Select(j => (j.ActivityId, j.Status)));
        Assert.True(journal[2].StartedAt - journal[0].StartedAt >= TimeSpan.FromSeconds(1.4));
    }
}
