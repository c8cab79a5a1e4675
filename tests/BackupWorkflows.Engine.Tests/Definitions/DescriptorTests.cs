using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Tests.Definitions;

[Trait("Category", "Unit")]
public sealed class DescriptorTests
{
    [Fact]
    public async Task Registry_DescribesActivitiesFromTheirClasses_AsJsonForTheStudio()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var registry = engine.Services.GetRequiredService<IActivityRegistry>();
        var json = JsonSerializer.SerializeToNode(registry.Descriptors, DefinitionJson.Options)!.AsArray();

        var record = json.Single(d => d!["type"]!.GetValue<string>() == "Test.Record")!;
        Assert.Equal(1, record["version"]!.GetValue<int>());
        var secret = record["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "secret")!;
        Assert.True(secret["sensitive"]!.GetValue<bool>());
        Assert.Equal("string", secret["type"]!.GetValue<string>());
        Assert.True(record["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "log")!["required"]!.GetValue<bool>());
        Assert.Equal("echo", record["outputs"]![0]!["name"]!.GetValue<string>());
        Assert.Null(record["clrType"]);

        var flaky = json.Single(d => d!["type"]!.GetValue<string>() == "Test.Flaky")!;
        Assert.Equal(["Done", "Failed"], flaky["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(3, flaky["retry"]!["maxAttempts"]!.GetValue<int>());

        var builtIns = registry.Descriptors.Where(d => d.Category == "Flow").Select(d => d.Type).ToHashSet();
        Assert.Superset(new HashSet<string> { "Flow.Start", "Flow.Finish", "Flow.Decision", "Flow.Switch", "Flow.ForEach",
            "Flow.Fork", "Flow.Join", "Flow.Delay", "Flow.Fault", "Flow.SetVariable" }, builtIns);
        var join = json.Single(d => d!["type"]!.GetValue<string>() == "Flow.Join")!;
        Assert.Equal("waitAll", join["inputs"]![0]!["default"]!.GetValue<string>());
        Assert.True(json.Single(d => d!["type"]!.GetValue<string>() == "Flow.Switch")!["dynamicOutcomes"]!.GetValue<bool>());
    }
}
