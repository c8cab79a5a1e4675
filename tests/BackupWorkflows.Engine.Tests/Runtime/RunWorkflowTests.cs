using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Runtime;

/// <summary>
/// <c>Flow.RunWorkflow</c>: a child instance with inputs whose output the parent takes; a faulted child takes
/// the parent's Failed outcome; cancelling the parent cancels the child. (A restart while the child runs is in
/// <c>CrashTests</c>.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunWorkflowTests(PostgresCluster postgres)
{
    private const string Child = """
        { "id": "child", "inputs": [ { "name": "value", "type": "integer", "required": true } ],
          "activities": [
            { "id": "double", "type": "Test.Double", "inputs": { "value": "{{ input.value }}" } },
            { "id": "finish", "type": "Flow.Finish", "inputs": { "output": { "doubled": "{{ steps.double.result }}" } } } ],
          "connections": [ { "source": "double", "target": "finish" } ] }
        """;

    private static string Parent(string log, string childId = "child", string input = """{ "value": "{{ input.n }}" }""", bool failedBranch = true) => $$$"""
        { "id": "parent", "inputs": [ { "name": "n", "type": "integer", "default": 4 } ],
          "activities": [
            { "id": "run", "type": "Flow.RunWorkflow", "inputs": { "workflowId": "{{{childId}}}", "input": {{{input}}} } },
            { "id": "after", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "got {{ steps.run.output.doubled }}" } },
            { "id": "failed", "type": "Test.Record", "inputs": { "log": "{{{log}}}", "text": "child failed" } } ],
          "connections": [ { "source": "run", "target": "after" }{{{(failedBranch ? """, { "source": "run", "outcome": "Failed", "target": "failed" }""" : "")}}} ] }
        """;

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Child_RunsWithInputs_ParentTakesItsOutput_AndTheChildKnowsItsParent(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"rw-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(Child);
        await engine.PublishAsync(Parent(log));
        var parent = await engine.RunAsync("parent", new JsonObject { ["n"] = 21 });
        Assert.Equal(WorkflowStatus.Finished, parent.Status);
        Assert.Equal(["after:got 42"], RecordActivity.Calls[log]);
        var childId = parent.Outputs!["run"]!["instanceId"]!.GetValue<string>();
        var child = (await engine.Queries.GetAsync(childId))!;
        Assert.Equal((WorkflowStatus.Finished, parent.Id, 42), (child.Status, child.ParentInstanceId, child.Output!["doubled"]!.GetValue<int>()));
        Assert.Equal(2, (await engine.Queries.ListAsync()).Total);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task FaultedChild_TakesTheParentsFailedOutcome_OrFaultsIt(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"rwf-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync("""
            { "id": "broken", "activities": [ { "id": "boom", "type": "Flow.Fault", "inputs": { "message": "disk on fire" } } ] }
            """);
        await engine.PublishAsync(Parent(log, "broken", "{}"));
        var handled = await engine.RunAsync("parent");
        Assert.Equal(WorkflowStatus.Finished, handled.Status);
        Assert.Equal(["failed:child failed"], RecordActivity.Calls[log]);
        var run = (await engine.JournalAsync(handled.Id)).Single(j => j.ActivityId == "run");
        Assert.Equal("Failed", run.Outcome);
        Assert.Contains("ended Faulted", run.Error);
        Assert.Contains("disk on fire", run.Error);

        await engine.PublishAsync(Parent(log, "broken", "{}", failedBranch: false));
        var unhandled = await engine.RunAsync("parent");
        Assert.Equal(WorkflowStatus.Faulted, unhandled.Status);
        Assert.Contains("disk on fire", unhandled.Fault);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task UndeclaredChildInput_FailsTheActivity_NamingIt(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var log = $"rwu-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync(Child);
        await engine.PublishAsync(Parent(log, input: """{ "value": 1, "colour": "red" }"""));
        var parent = await engine.RunAsync("parent");
        Assert.Equal(["failed:child failed"], RecordActivity.Calls[log]);
        Assert.Contains("'colour' is not an input of workflow 'child'", (await engine.JournalAsync(parent.Id)).Single(j => j.ActivityId == "run").Error);
        Assert.Equal(1, (await engine.Queries.ListAsync()).Total); // no child was stored
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task CancellingTheParent_CancelsTheChild(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var gate = $"rwc-{provider}-{Guid.NewGuid():N}";
        await engine.PublishAsync($$"""
            { "id": "waiting-child", "activities": [ { "id": "g", "type": "Test.Gate", "inputs": { "name": "{{gate}}" } } ] }
            """);
        await engine.PublishAsync(Parent(gate, "waiting-child", "{}"));
        var parentId = await engine.Runtime.StartAsync("parent");
        await Gates.Entered(gate).Task.WithDeadline();
        var childId = (await engine.Queries.ListAsync(new InstanceFilter { DefinitionId = "waiting-child" })).Items.Single().Id;
        Assert.Equal(parentId, (await engine.Queries.GetAsync(childId))!.ParentInstanceId);

        Assert.True(await engine.Runtime.CancelAsync(parentId));
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(parentId)).Status);
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(childId)).Status);
        Assert.True(GateActivity.SawCancellation[gate]);
        Assert.Equal(ExecutionStatus.Cancelled, Assert.Single(await engine.JournalAsync(childId)).Status);
        Assert.False(RecordActivity.Calls.ContainsKey(gate));
    }
}
