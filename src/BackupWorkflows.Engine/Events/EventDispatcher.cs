using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities.Triggers;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Runtime.Execution;
using BackupWorkflows.Engine.Triggers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Events;

/// <summary>
/// The <c>wf_events</c> outbox and its dispatch: each pending event starts one instance per published
/// <c>Trigger.Event</c> that matches it, then is marked dispatched. A start's idempotency key is the event and the
/// trigger, so a pass repeated after a crash, or run by two nodes at once, starts each instance once. A start that
/// can never succeed (the workflow refuses the input, was unpublished) is logged and skipped; any other failure
/// leaves the event pending for the next pass.
/// </summary>
internal sealed class EventDispatcher(EngineServices services, IWorkflowTriggers triggers, IWorkflowRuntime runtime) : IDomainEvents
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<EventDispatcher>();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>How often pending events are looked for without a wake-up (events other nodes raised, failed starts).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>Outbox rows for <paramref name="events"/>, added to <paramref name="db"/> (the caller's transaction).</summary>
    public static void Add(EngineDbContext db, IEnumerable<DomainEvent> events, string? instanceId, long now)
    {
        foreach (var e in events)
            db.Events.Add(new EventRecord
            {
                Id = Guid.CreateVersion7().ToString("N"), Name = e.Name, InstanceId = instanceId, CreatedAt = now,
                Payload = e.Payload.ToJsonString(DefinitionJson.Options),
            });
    }

    /// <summary>Tells the loop that events were committed.</summary>
    public void Wake() => _wake.Release();

    public async Task<string> RaiseAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        await using var db = await services.Database.CreateAsync(cancellationToken);
        Add(db, [domainEvent], null, services.NowMs);
        var id = db.ChangeTracker.Entries<EventRecord>().Single().Entity.Id;
        await db.SaveChangesAsync(cancellationToken);
        Wake();
        return id;
    }

    /// <summary>Dispatches at every wake-up and every <see cref="SweepInterval"/> until stopped.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await DispatchPendingAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { _logger.LogError(e, "Dispatching domain events failed; retrying."); }
            try { await _wake.WaitAsync(SweepInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            while (_wake.CurrentCount > 0) await _wake.WaitAsync(stoppingToken); // one pass for a burst
        }
    }

    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            List<EventRecord> pending;
            await using (var db = await services.Database.CreateAsync(cancellationToken))
                pending = await db.Events.Where(e => e.DispatchedAt == null).OrderBy(e => e.CreatedAt).Take(100).ToListAsync(cancellationToken);
            if (pending.Count == 0) return 0;
            var eventTriggers = await triggers.ListAsync(EventTrigger.TypeName, cancellationToken);
            var done = 0;
            foreach (var row in pending)
            {
                try
                {
                    await DispatchAsync(row, eventTriggers, cancellationToken);
                    await using var db = await services.Database.CreateAsync(cancellationToken);
                    await db.Events.Where(e => e.Id == row.Id && e.DispatchedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.DispatchedAt, services.NowMs), cancellationToken);
                    done++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "Event {Event} {Name} is not dispatched yet; the next pass tries again.", row.Id, row.Name);
                }
            }
            return done;
        }
        finally { _pass.Release(); }
    }

    private async Task DispatchAsync(EventRecord row, IReadOnlyList<WorkflowTrigger> eventTriggers, CancellationToken ct)
    {
        var payload = JsonNode.Parse(row.Payload) as JsonObject ?? [];
        foreach (var trigger in eventTriggers)
        {
            if (trigger.Settings["event"]?.GetValue<string>() != row.Name || !EventTrigger.Matches(trigger.Settings, payload)) continue;
            var origin = (JsonObject)payload.DeepClone();
            origin["event"] = row.Name;
            origin["eventId"] = row.Id;
            try
            {
                var input = await InputAsync(trigger, payload);
                var id = await runtime.StartAsync(trigger.DefinitionId, input, new StartOptions
                {
                    IdempotencyKey = $"event:{row.Id}:{trigger.ActivityId}", CorrelationId = $"event:{row.Id}",
                    Trigger = new TriggerStart(trigger.ActivityId, trigger.Type, origin),
                }, ct);
                _logger.LogInformation("Event {Name} {Event} started {Workflow} instance {Instance}", row.Name, row.Id, trigger.DefinitionId, id);
            }
            catch (WorkflowEngineException e) when (e.GetType() != typeof(WorkflowEngineException))
            {
                // Refused input, unpublished or deleted meanwhile: trying again cannot help.
                _logger.LogWarning("Event {Name} {Event} could not start {Workflow}: {Error}", row.Name, row.Id, trigger.DefinitionId, e.Message);
            }
        }
    }

    /// <summary>The trigger's fixed input with the payload's fields that the workflow declares over it.</summary>
    private async Task<JsonObject> InputAsync(WorkflowTrigger trigger, JsonObject payload)
    {
        var input = trigger.Settings["input"]?.DeepClone() as JsonObject ?? [];
        var plan = await services.Plans.GetAsync(trigger.DefinitionId, trigger.DefinitionVersion);
        foreach (var declared in plan.Definition.Inputs)
            if (payload[declared.Name] is { } value) input[declared.Name] = value.DeepClone();
        return input;
    }
}
