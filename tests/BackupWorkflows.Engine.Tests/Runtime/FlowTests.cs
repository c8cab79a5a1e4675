using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Runtime;

[Collection(PostgresCollection.Name)]
public sealed class FlowTests(PostgresCluster postgres)
{
    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task ForEach_OverVolumes_RunsBodyOncePerVolumeThenDone(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"foreach-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$$"""
            { "id": "per-volume", "inputs": [ { "name": "volumes", "type": "array" } ],
              "activities": [
                { "id": "start", "type": "Flow.Start" },
                { "id": "each", "type": "Flow.ForEach", "inputs": { "items": "{{ input.volumes }}" } },
                { "id": "copy", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "{{ steps.each.index }}={{ steps.each.currentItem.path }}" } },
                { "id": "done", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "end" } } ],
              "connections": [
                { "source": "start", "target": "each" },
                { "source": "each", "outcome": "Iterate", "target": "copy" },
                { "source": "copy", "target": "each" },
                { "source": "each", "outcome": "Done", "target": "done" } ] }
            """);
        var volumes = new JsonArray(new JsonObject { ["path"] = "vda.qcow2" }, new JsonObject { ["path"] = "vdb.qcow2" }, new JsonObject { ["path"] = "vdc.qcow2" });
        var info = await engine.RunAsync("per-volume", new JsonObject { ["volumes"] = volumes });
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(["copy:0=vda.qcow2", "copy:1=vdb.qcow2", "copy:2=vdc.qcow2", "done:end"], RecordActivity.Calls[log]);
    }

    [Fact]
    public async Task Delay_SecondsBeyondAnyMoment_FaultsWithAMessageInUserTerms_NoDotNetTypeName()
    {
        await using var engine = await EngineHost.StartAsync("sqlite", postgres);
        await engine.PublishAsync("""
            { "id": "long-wait", "inputs": [ { "name": "seconds", "type": "number" } ],
              "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": "{{ input.seconds }}" } } ],
              "connections": [ { "source": "start", "target": "wait" } ] }
            """);
        var info = await engine.RunAsync("long-wait", new JsonObject { ["seconds"] = 1e300 });
        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains("seconds must be a number from 0", info.Fault);
        Assert.DoesNotContain("Exception", info.Fault);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task DecisionSwitchAndVariables_TakeTheMatchingBranches(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"branch-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$$"""
            { "id": "branches", "inputs": [ { "name": "kind", "type": "string" }, { "name": "n", "type": "integer" } ],
              "variables": [ { "name": "isFull", "default": false } ],
              "activities": [
                { "id": "setFull", "type": "Flow.SetVariable", "inputs": { "name": "isFull", "value": true } },
                { "id": "decide", "type": "Flow.Decision", "inputs": { "condition": "{{ variables.isFull }}" } },
                { "id": "yes", "type": "Test.Double", "inputs": { "value": "{{ input.n }}" } },
                { "id": "no", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "no" } },
                { "id": "kind", "type": "Flow.Switch", "inputs": { "value": "{{ input.kind }}", "cases": ["Full", "Incremental"] } },
                { "id": "full", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "full {{ steps.yes.result }}" } },
                { "id": "incr", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "incremental" } },
                { "id": "other", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "other" } },
                { "id": "finish", "type": "Flow.Finish", "inputs": { "output": { "kind": "{{ input.kind }}", "doubled": "{{ steps.yes.result }}" } } } ],
              "connections": [
                { "source": "setFull", "target": "decide" },
                { "source": "decide", "outcome": "True", "target": "yes" },
                { "source": "decide", "outcome": "False", "target": "no" },
                { "source": "yes", "target": "kind" },
                { "source": "kind", "outcome": "Full", "target": "full" },
                { "source": "kind", "outcome": "Incremental", "target": "incr" },
                { "source": "kind", "outcome": "Default", "target": "other" },
                { "source": "full", "target": "finish" } ] }
            """);
        var info = await engine.RunAsync("branches", new JsonObject { ["kind"] = "Full", ["n"] = 21 });
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(["full:full 42"], RecordActivity.Calls[log]);
        Assert.True(info.Variables!["isFull"]!.GetValue<bool>());
        Assert.Equal(42, info.Output!["doubled"]!.GetValue<int>());
        Assert.Equal("Full", info.Output!["kind"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task ForkJoin_RunsBranchesInParallelAndJoinsOnce(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = $"fork-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$$"""
            { "id": "fork", "activities": [
                { "id": "fork", "type": "Flow.Fork", "inputs": { "branches": ["a", "b"] } },
                { "id": "a", "type": "Test.Gate", "inputs": { "name": "{{{key}}}-a" } },
                { "id": "b", "type": "Test.Gate", "inputs": { "name": "{{{key}}}-b" } },
                { "id": "join", "type": "Flow.Join" },
                { "id": "after", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "joined" } } ],
              "connections": [
                { "source": "fork", "outcome": "a", "target": "a" }, { "source": "fork", "outcome": "b", "target": "b" },
                { "source": "a", "target": "join" }, { "source": "b", "target": "join" }, { "source": "join", "target": "after" } ] }
            """);
        var id = await engine.Runtime.StartAsync("fork");
        // Both branches are inside their activity at the same time: they run in parallel.
        await Task.WhenAll(Gates.Entered($"{key}-a").Task, Gates.Entered($"{key}-b").Task).WithDeadline();
        Gates.Release($"{key}-a");
        Gates.Release($"{key}-b");
        var info = await engine.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(["after:joined"], RecordActivity.Calls[key]);
        var journal = await engine.JournalAsync(id);
        Assert.Single(journal, j => j.ActivityId == "join");
        Assert.All(journal, j => Assert.Equal(ExecutionStatus.Completed, j.Status));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task ForkWithTwoDelays_EachSuspendedActivityResumesAtItsOwnMoment_WhileAnotherBranchRuns(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var gate = $"timers-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$$"""
            { "id": "timers", "activities": [
                { "id": "fork", "type": "Flow.Fork", "inputs": { "branches": ["short", "long", "busy"] } },
                { "id": "short", "type": "Flow.Delay", "inputs": { "seconds": 40 } },
                { "id": "long", "type": "Flow.Delay", "inputs": { "seconds": 80 } },
                { "id": "busy", "type": "Test.Gate", "inputs": { "name": "{{{gate}}}" } } ],
              "connections": [
                { "source": "fork", "outcome": "short", "target": "short" }, { "source": "fork", "outcome": "long", "target": "long" },
                { "source": "fork", "outcome": "busy", "target": "busy" } ] }
            """);
        var before = DateTimeOffset.UtcNow;
        var id = await engine.Runtime.StartAsync("timers");
        // The gated branch keeps the instance running: its own ResumeAt is not set yet, each timer's moment is.
        var info = await Eventually.UntilAsync(async () => await engine.Queries.GetAsync(id) is { ActivityResumeAt.Count: 2 } i ? i : null,
            "both delays suspended");
        var after = DateTimeOffset.UtcNow;
        Assert.Equal(WorkflowStatus.Running, info.Status);
        Assert.Null(info.ResumeAt);
        Assert.InRange(info.ActivityResumeAt["short"], before.AddSeconds(40).AddMilliseconds(-1), after.AddSeconds(40));
        Assert.InRange(info.ActivityResumeAt["long"], before.AddSeconds(80).AddMilliseconds(-1), after.AddSeconds(80));
        Assert.False(info.ActivityResumeAt.ContainsKey("busy"));

        Gates.Release(gate);
        var suspended = await engine.WaitAsync(id, untilIdle: true);
        Assert.Equal(WorkflowStatus.Suspended, suspended.Status);
        Assert.Equal(suspended.ActivityResumeAt["short"], suspended.ResumeAt);
        Assert.Equal(info.ActivityResumeAt, suspended.ActivityResumeAt);
        Assert.True(await engine.Runtime.CancelAsync(id));
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(id)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task JoinWaitAny_ContinuesOnFirstArrival_AndIgnoresTheLaterOne(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = $"any-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$$"""
            { "id": "any", "activities": [
                { "id": "fork", "type": "Flow.Fork", "inputs": { "branches": ["fast", "slow"] } },
                { "id": "fast", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "fast" } },
                { "id": "slow", "type": "Test.Gate", "inputs": { "name": "{{{key}}}" } },
                { "id": "join", "type": "Flow.Join", "inputs": { "mode": "waitAny" } },
                { "id": "after", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "after" } } ],
              "connections": [
                { "source": "fork", "outcome": "fast", "target": "fast" }, { "source": "fork", "outcome": "slow", "target": "slow" },
                { "source": "fast", "target": "join" }, { "source": "slow", "target": "join" }, { "source": "join", "target": "after" } ] }
            """);
        var id = await engine.Runtime.StartAsync("any");
        await Gates.Entered(key).Task.WithDeadline();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(RecordActivity.Calls.TryGetValue(key, out var calls) && calls.Contains("after:after")) && DateTime.UtcNow < deadline)
            await Task.Delay(20); // the join must not wait for the gated branch
        Assert.Equal(["fast:fast", "after:after"], RecordActivity.Calls[key]);
        Gates.Release(key);
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(id)).Status);
        Assert.Equal(["fast:fast", "after:after"], RecordActivity.Calls[key]);
        Assert.Single(await engine.JournalAsync(id), j => j.ActivityId == "join");
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task FaultActivity_FaultsInstanceWithItsMessage(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "fails", "activities": [ { "id": "f", "type": "Flow.Fault", "inputs": { "message": "staging is full" } } ] }
            """);
        var info = await engine.RunAsync("fails");
        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Equal("f", info.FaultedActivityId);
        Assert.Contains("staging is full", info.Fault);
        var incident = Assert.Single(await engine.Queries.GetIncidentsAsync(info.Id));
        Assert.False(incident.Handled);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Journal_RecordsEvaluatedInputsWithSecretsMaskedOutputsAndLines(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "secret", "inputs": [ { "name": "password", "type": "string" } ],
              "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "secret", "text": "hi", "secret": "{{ input.password }}" } } ] }
            """);
        var info = await engine.RunAsync("secret", new JsonObject { ["password"] = "hunter2" });
        var entry = Assert.Single(await engine.JournalAsync(info.Id));
        Assert.Equal("***", entry.Inputs!["secret"]!.GetValue<string>());
        Assert.Equal("hi", entry.Inputs!["text"]!.GetValue<string>());
        Assert.Equal("hi", entry.Outputs!["echo"]!.GetValue<string>());
        Assert.Equal(["recorded hi"], entry.Lines);
        Assert.Equal(("Done", 1, false), (entry.Outcome, entry.Attempt, entry.IsResume));
        Assert.NotNull(entry.EndedAt);
        Assert.DoesNotContain("hunter2", (await engine.Store.ExportAsync("secret")) + string.Join("", (await engine.JournalAsync(info.Id)).Select(j => j.Inputs?.ToJsonString())));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Start_WithSameIdempotencyKey_ReturnsTheFirstInstance(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""{ "id": "once", "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "once" } } ] }""");
        var first = await engine.Runtime.StartAsync("once", null, new StartOptions { IdempotencyKey = "job-7", CorrelationId = "c-7" });
        var second = await engine.Runtime.StartAsync("once", null, new StartOptions { IdempotencyKey = "job-7" });
        Assert.Equal(first, second);
        await engine.WaitAsync(first);
        var page = await engine.Queries.ListAsync(new InstanceFilter { CorrelationId = "c-7", Status = WorkflowStatus.Finished });
        Assert.Equal(first, Assert.Single(page.Items).Id);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Start_WithSameIdempotencyKeyAndAnotherInput_IsRefused_AndStartsNothing(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""{ "id": "keyed", "inputs": [ { "name": "vm", "type": "string", "required": true }, { "name": "type", "type": "string", "default": "auto" } ], "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "keyed" } } ] }""");
        var first = await engine.Runtime.StartAsync("keyed", new JsonObject { ["vm"] = "a" }, new StartOptions { IdempotencyKey = "k-1", CorrelationId = "c-k" });
        // The default filled in is the same request; another value is not.
        Assert.Equal(first, await engine.Runtime.StartAsync("keyed", new JsonObject { ["vm"] = "a", ["type"] = "auto" }, new StartOptions { IdempotencyKey = "k-1" }));
        var refused = await Assert.ThrowsAsync<WorkflowIdempotencyConflictException>(() =>
            engine.Runtime.StartAsync("keyed", new JsonObject { ["vm"] = "b" }, new StartOptions { IdempotencyKey = "k-1", CorrelationId = "c-k" }));
        Assert.Equal(first, refused.InstanceId);
        await Assert.ThrowsAsync<WorkflowIdempotencyConflictException>(() =>
            engine.Runtime.StartAsync("keyed", new JsonObject { ["vm"] = "a", ["type"] = "full" }, new StartOptions { IdempotencyKey = "k-1" }));
        await engine.WaitAsync(first);
        var page = await engine.Queries.ListAsync(new InstanceFilter { CorrelationId = "c-k" });
        Assert.Equal(first, Assert.Single(page.Items).Id);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Purge_DeletesEndedInstancesWithTheirJournal_KeepsFaultedOnes(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""{ "id": "p", "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "purge" } } ] }""");
        await engine.PublishAsync("""{ "id": "pf", "activities": [ { "id": "f", "type": "Flow.Fault", "inputs": { "message": "no" } } ] }""");
        var done = await engine.RunAsync("p");
        var faulted = await engine.RunAsync("pf");
        Assert.Equal(1, await engine.Runtime.PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(await engine.Queries.GetAsync(done.Id));
        Assert.Empty(await engine.JournalAsync(done.Id));
        Assert.Equal(WorkflowStatus.Faulted, (await engine.Queries.GetAsync(faulted.Id))!.Status);
    }
}
