using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Tests.Triggers;

/// <summary>
/// <c>Trigger.Event</c>: an event raised (directly, or by an instance's end through the outbox) starts one instance
/// per matching published trigger with the payload as input and origin; a filter mismatch or an unpublished workflow
/// starts none; dispatching an event again starts nothing twice.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EventTriggerTests(PostgresCluster postgres)
{
    private static string OnFailure(string id, string log, string vmFilter = "web1") => $$$"""
        { "id": "{{{id}}}",
          "inputs": [ { "name": "vm", "type": "string" }, { "name": "error", "type": "string" }, { "name": "url", "type": "string" } ],
          "activities": [
            { "id": "onFail", "type": "Trigger.Event", "inputs": { "event": "backup.failed", "vm": "{{{vmFilter}}}", "input": { "url": "http://sink/x" } } },
            { "id": "r", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "{{ input.vm }}|{{ input.error }}|{{ input.url }}" } } ],
          "connections": [ { "source": "onFail", "target": "r" } ] }
        """;

    private static DomainEvent Failed(string vm) => new(DomainEventNames.BackupFailed, new JsonObject
    {
        ["vm"] = vm, ["host"] = "kvm1", ["offering"] = "gold", ["backupId"] = "b-1", ["instanceId"] = "i-1", ["result"] = "failed", ["error"] = "disk full",
    });

    private static async Task<int> CountAsync(EngineHost engine, string definitionId) =>
        (await engine.Queries.ListAsync(new InstanceFilter { DefinitionId = definitionId })).Total;

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Event_StartsMatchingTrigger_WithPayload_MismatchAndUnpublishedStartNone_RedispatchStartsOnce(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var events = engine.Services.GetRequiredService<IDomainEvents>();
        var log = $"event-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(OnFailure("on-failure", log));
        var indexed = Assert.Single(await engine.Services.GetRequiredService<IWorkflowTriggers>().ListAsync(EventTrigger.TypeName));
        Assert.Equal(("on-failure/onFail", "backup.failed", "web1"),
            (indexed.Key, indexed.Settings["event"]!.GetValue<string>(), indexed.Settings["vm"]!.GetValue<string>()));

        var eventId = await events.RaiseAsync(Failed("web1"));
        var started = await Eventually.UntilAsync(async () =>
            (await engine.Queries.ListAsync(new InstanceFilter { DefinitionId = "on-failure" })).Items.FirstOrDefault(), "the triggered instance");
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(started.Id)).Status);
        Assert.Equal(["r:web1|disk full|http://sink/x"], RecordActivity.Calls[log]);
        var origin = (await engine.Queries.GetAsync(started.Id))!.Trigger!;
        Assert.Equal(("onFail", EventTrigger.TypeName, "backup.failed", eventId, "gold"), (origin.ActivityId, origin.Type,
            origin.Payload!["event"]!.GetValue<string>(), origin.Payload["eventId"]!.GetValue<string>(), origin.Payload["offering"]!.GetValue<string>()));
        Assert.Equal(["onFail", "r"], (await engine.JournalAsync(started.Id)).Select(j => j.ActivityId));

        // The same event dispatched again (a crash after the start, before it was marked) starts nothing new.
        await using (var db = await engine.Services.GetRequiredService<EngineDatabase>().CreateAsync())
            await db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.DispatchedAt, (long?)null));
        await events.DispatchPendingAsync();
        Assert.Equal(1, await CountAsync(engine, "on-failure"));

        // Another VM, another event: the filter does not match; the pass that handled it has ended when DispatchPending returns.
        await events.RaiseAsync(Failed("db7"));
        await events.RaiseAsync(new DomainEvent(DomainEventNames.BackupCompleted, Failed("web1").Payload));
        await events.DispatchPendingAsync();
        Assert.Equal(1, await CountAsync(engine, "on-failure"));

        Assert.True(await engine.Store.UnpublishAsync("on-failure"));
        await events.RaiseAsync(Failed("web1"));
        await events.DispatchPendingAsync();
        Assert.Equal(1, await CountAsync(engine, "on-failure"));
        await using (var db = await engine.Services.GetRequiredService<EngineDatabase>().CreateAsync())
            Assert.Equal(0, await db.Events.CountAsync(e => e.DispatchedAt == null));

        // Retention deletes dispatched events with the instances.
        await engine.Runtime.PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        await using (var db = await engine.Services.GetRequiredService<EngineDatabase>().CreateAsync())
            Assert.Equal(0, await db.Events.CountAsync());
    }

    /// <summary>Raises <c>backup.failed</c> when an instance of <c>failing</c> faults, as the backup domain does for <c>backup</c>.</summary>
    private sealed class FailingSource : IDomainEventSource
    {
        public ValueTask<IReadOnlyList<DomainEvent>> EventsOfAsync(EndedInstance ended, CancellationToken cancellationToken) =>
            new(ended.DefinitionId == "failing" && ended.Status == WorkflowStatus.Faulted
                ? [new DomainEvent(DomainEventNames.BackupFailed, new JsonObject { ["vm"] = ended.Input["vm"]?.DeepClone(), ["instanceId"] = ended.InstanceId, ["error"] = ended.Fault })]
                : []);
    }

    [Fact]
    public async Task InstanceEnd_RaisesItsEvents_InTheSameCommit_AndTheyStartTheTrigger()
    {
        await using var engine = await EngineHost.StartAsync("sqlite", services: s => s.AddSingleton<IDomainEventSource, FailingSource>());
        var log = $"end-{Guid.NewGuid():N}";
        await engine.PublishAsync("""
            { "id": "failing", "inputs": [ { "name": "vm", "type": "string" } ],
              "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "fault", "type": "Flow.Fault", "inputs": { "message": "no such VM" } } ],
              "connections": [ { "source": "start", "target": "fault" } ] }
            """);
        await engine.PublishAsync(OnFailure("on-failure", log));
        var failed = await engine.RunAsync("failing", new JsonObject { ["vm"] = "web1" });
        Assert.Equal(WorkflowStatus.Faulted, failed.Status);
        await using (var db = await engine.Services.GetRequiredService<EngineDatabase>().CreateAsync())
            Assert.Equal(DomainEventNames.BackupFailed, (await db.Events.SingleAsync(e => e.InstanceId == failed.Id)).Name);
        await Eventually.UntilAsync(() => RecordActivity.Calls.TryGetValue(log, out var calls) && !calls.IsEmpty, "the triggered instance ran");
        Assert.Equal([$"r:web1|fault: no such VM|http://sink/x"], RecordActivity.Calls[log]);
        await engine.RunAsync("failing", new JsonObject { ["vm"] = "other" }); // filter: vm web1 only
        await engine.Services.GetRequiredService<IDomainEvents>().DispatchPendingAsync();
        Assert.Equal(1, await CountAsync(engine, "on-failure"));
    }

    [Fact]
    public async Task EventOfAnEnd_CommittedButNotDispatched_IsDispatchedByTheNextEngine()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bwf-outbox-{Guid.NewGuid():N}.db");
        var connection = $"Data Source={file}";
        var log = $"outbox-{Guid.NewGuid():N}";
        try
        {
            await using (var setup = await EngineHost.StartAsync("sqlite", connection: connection))
            {
                await setup.PublishAsync("""
                    { "id": "failing", "inputs": [ { "name": "vm", "type": "string" } ],
                      "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "fault", "type": "Flow.Fault", "inputs": { "message": "gone" } } ],
                      "connections": [ { "source": "start", "target": "fault" } ] }
                    """);
                await setup.PublishAsync(OnFailure("on-failure", log));
            }
            // A node without the dispatch loop ends the instance and stops: like a crash right after the end's commit.
            await using (var crashed = await EngineHost.StartAsync("sqlite", configure: o => { o.RunHostedService = false; o.NodeId = "crashed"; },
                             services: s => s.AddSingleton<IDomainEventSource, FailingSource>(), connection: connection))
                Assert.Equal(WorkflowStatus.Faulted, (await crashed.RunAsync("failing", new JsonObject { ["vm"] = "web1" })).Status);
            Assert.False(RecordActivity.Calls.ContainsKey(log));

            await using var next = await EngineHost.StartAsync("sqlite", connection: connection);
            await Eventually.UntilAsync(() => RecordActivity.Calls.TryGetValue(log, out var calls) && !calls.IsEmpty, "the next engine dispatched the event");
            Assert.Equal(["r:web1|fault: gone|http://sink/x"], RecordActivity.Calls[log]);
        }
        finally
        {
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        }
    }

    [Fact]
    public async Task UnknownEventName_IsRefusedOnSave()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync("""
            { "id": "bad-event", "inputs": [ { "name": "p", "type": "string" } ],
              "activities": [
                { "id": "ev", "type": "Trigger.Event", "inputs": { "event": "backup.exploded" } },
                { "id": "bound", "type": "Trigger.Event", "inputs": { "event": "{{ input.p }}" } },
                { "id": "r", "type": "Test.Record", "inputs": { "log": "bad" } } ],
              "connections": [ { "source": "ev", "target": "r" }, { "source": "bound", "target": "r" } ] }
            """, publish: true));
        Assert.Contains(e.Problems, p => p.ActivityId == "ev" && p.Path == "inputs.event" && p.Message.Contains("backup.failed"));
        Assert.Contains(e.Problems, p => p.ActivityId == "bound" && p.Path == "inputs.event");
    }
}
