using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;

namespace BackupWorkflows.Engine.Tests.Runtime;

[Trait("Category", "Unit")]
public sealed class SmokeTests
{
    [Fact]
    public async Task Run_SequentialFlowOnSqlite_FinishesWithOutputs()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync("""
        {
          "id": "double", "name": "Double",
          "inputs": [{ "name": "n", "type": "integer", "required": true }],
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "a", "type": "Test.Double", "inputs": { "value": "{{ input.n }}" } },
            { "id": "b", "type": "Test.Double", "inputs": { "value": "{{ steps.a.result }}" } }
          ],
          "connections": [
            { "source": "start", "target": "a" },
            { "source": "a", "target": "b" }
          ]
        }
        """);
        var info = await engine.RunAsync("double", new JsonObject { ["n"] = 5 });
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal(20, info.Outputs!["b"]!["result"]!.GetValue<int>());
    }
}
