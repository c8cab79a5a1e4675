using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Events;

/// <summary>
/// The shipped <c>backup</c> workflow's end raises <c>backup.failed</c> with the VM, its offering (from the
/// assignment), the host, the backup instance and the error; a trigger filtered on that offering starts, one filtered
/// on another offering does not.
/// </summary>
public sealed class BackupEventsTests
{
    private static string Flow(string id, string offering) => $$$"""
        { "id": "{{{id}}}",
          "inputs": [ { "name": "vm", "type": "string" }, { "name": "offering", "type": "string" }, { "name": "error", "type": "string" } ],
          "activities": [
            { "id": "failed", "type": "Trigger.Event", "inputs": { "event": "backup.failed", "offering": "{{{offering}}}" } },
            { "id": "finish", "type": "Flow.Finish", "inputs": { "output": { "vm": "{{ input.vm }}", "offering": "{{ input.offering }}" } } } ],
          "connections": [ { "source": "failed", "target": "finish" } ] }
        """;

    [Fact]
    public async Task FailedBackup_RaisesBackupFailed_WithItsOffering_AndOnlyTheMatchingTriggerStarts()
    {
        await using var harness = await BackupHarness.StartAsync();
        var vm = $"ghost-{Guid.NewGuid():N}"[..16]; // assigned, but no such domain: the backup fails
        await harness.AssignAsync(vm);
        var store = harness.Services.GetRequiredService<IWorkflowDefinitionStore>();
        await store.ImportAsync(Flow("on-standard", "standard"), publish: true);
        await store.ImportAsync(Flow("on-gold", "gold"), publish: true);

        var backup = await harness.BackupAsync(vm);
        Assert.Equal(WorkflowStatus.Faulted, backup.Status);

        var queries = harness.Services.GetRequiredService<IWorkflowInstanceQueries>();
        var started = await Eventually.UntilAsync(async () =>
            (await queries.ListAsync(new InstanceFilter { DefinitionId = "on-standard", Status = WorkflowStatus.Finished })).Items.FirstOrDefault(),
            "the instance the backup.failed event started");
        var origin = (await queries.GetAsync(started.Id))!.Trigger!.Payload!;
        Assert.Equal((DomainEventNames.BackupFailed, vm, "standard", harness.HostName, backup.Id, "backup", "failed"),
            (origin["event"]!.GetValue<string>(), origin["vm"]!.GetValue<string>(), origin["offering"]!.GetValue<string>(),
             origin["host"]!.GetValue<string>(), origin["instanceId"]!.GetValue<string>(), origin["workflow"]!.GetValue<string>(),
             origin["result"]!.GetValue<string>()));
        Assert.Equal(backup.Fault, origin["error"]!.GetValue<string>());
        Assert.Equal((vm, "standard"), (started.Output!["vm"]!.GetValue<string>(), started.Output["offering"]!.GetValue<string>()));

        await harness.Services.GetRequiredService<IDomainEvents>().DispatchPendingAsync();
        Assert.Equal(0, (await queries.ListAsync(new InstanceFilter { DefinitionId = "on-gold" })).Total);
    }
}
