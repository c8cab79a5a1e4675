using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Tests.Fixtures;

namespace BackupWorkflows.Engine.Tests.Definitions;

[Trait("Category", "Unit")]
public sealed class ValidationTests
{
    [Fact]
    public async Task Import_DefinitionWithEveryKindOfMistake_ListsAllProblemsAndSavesNothing()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync("""
        {
          "id": "broken",
          "inputs": [{ "name": "vmId", "type": "string" }],
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "snap", "type": "Backup.NoSuchActivity" },
            { "id": "rec", "type": "Test.Record", "inputs": { "text": "{{ steps.nowhere.echo }}" } },
            { "id": "dbl", "type": "Test.Double", "inputs": { "value": "{{ input.vmid }}" } },
            { "id": "lonely", "type": "Test.Record", "inputs": { "log": "x", "text": "{{ steps.rec.nothing }}" } },
            { "id": "bad", "type": "Test.Double", "inputs": { "value": "{{ input.vmId" } }
          ],
          "connections": [
            { "source": "start", "target": "rec" },
            { "source": "rec", "target": "dbl" },
            { "source": "dbl", "outcome": "Full", "target": "bad" },
            { "source": "dbl", "target": "ghost" }
          ]
        }
        """, publish: true));

        var messages = e.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(e.Problems, p => p.ActivityId == "snap" && p.Message.Contains("unknown activity type 'Backup.NoSuchActivity'"));
        Assert.Contains(e.Problems, p => p.ActivityId == "rec" && p.Path == "inputs.log" && p.Message.Contains("required"));
        Assert.Contains(e.Problems, p => p.ActivityId == "rec" && p.Message.Contains("no activity 'nowhere'"));
        Assert.Contains(e.Problems, p => p.ActivityId == "dbl" && p.Message.Contains("no input 'vmid'"));
        Assert.Contains(e.Problems, p => p.ActivityId == "lonely" && p.Message.Contains("has no output 'nothing'"));
        Assert.Contains(e.Problems, p => p.ActivityId == "lonely" && p.Message.Contains("unreachable"));
        Assert.Contains(e.Problems, p => p.ActivityId == "bad" && p.Message.Contains("without closing"));
        Assert.Contains(e.Problems, p => p.ActivityId == "dbl" && p.Message.Contains("has no outcome 'Full'"));
        Assert.Contains(e.Problems, p => p.Message.Contains("connection to unknown activity 'ghost'"));
        Assert.Contains("problems", e.Message);
        Assert.Empty(await engine.Store.ListAsync());
    }

    [Theory]
    [InlineData("\"activities\": [ null ]", "activities[0]")]
    [InlineData("\"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" }, { \"id\": null, \"type\": \"Flow.Start\" } ]", "activities[1].id")]
    [InlineData("\"activities\": [ { \"id\": \"start\", \"type\": null } ]", "activities[0].type")]
    [InlineData("\"inputs\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "inputs[0]")]
    [InlineData("\"variables\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "variables[0]")]
    [InlineData("\"connections\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "connections[0]")]
    [InlineData("\"connections\": [ { \"source\": null, \"target\": \"start\" } ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "connections[0].source")]
    [InlineData("\"locks\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "locks[0]")]
    [InlineData("\"locks\": [ { \"name\": null } ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "locks[0].name")]
    [InlineData("\"inputs\": [ { \"name\": \"x\", \"type\": \"evil\" } ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "inputs[0].type")]
    public async Task Import_NullEntriesOrNamesOrUnknownInputType_AreProblemsNamingTheEntry_NotCrashes(string body, string path)
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync($$"""{ "id": "nulls", {{body}} }""", publish: false));
        Assert.Contains(e.Problems, p => p.Path == path);
        Assert.Empty(await engine.Store.ListAsync());
    }

    [Fact]
    public async Task Import_WrongJsonType_SaysWhereInUserTerms_WithoutDotNetTypeNames()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        foreach (var json in new[] { "[1, 2]", "{ \"id\": \"x\", \"activities\": { } }", "{ \"id\": 5 }", "{ \"id\": \"x\", \"locks\": [ { \"limit\": \"many\" } ] }" })
        {
            var e = await Assert.ThrowsAsync<WorkflowFormatException>(() => engine.Store.ImportAsync(json, publish: false));
            Assert.DoesNotContain("BackupWorkflows.", e.Message);
            Assert.DoesNotContain("System.", e.Message);
            Assert.Contains("$", e.Message); // the JSON path of the bad value
        }
    }

    [Fact]
    public async Task Import_MalformedJson_ThrowsFormatExceptionWithLineAndSavesNothing()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowFormatException>(() => engine.Store.ImportAsync("{\n \"id\": \"x\",\n \"activities\": [ { \"id\": } ]\n}", publish: false));
        Assert.Contains("line 3", e.Message);
        Assert.Empty(await engine.Store.ListAsync());
    }

    [Fact]
    public async Task Save_LiteralOfWrongType_IsRejectedWithTheInputNamed()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync("""
        { "id": "typed", "activities": [ { "id": "d", "type": "Test.Double", "inputs": { "value": "not a number" } } ] }
        """, publish: false));
        var problem = Assert.Single(e.Problems);
        Assert.Equal(("d", "inputs.value"), (problem.ActivityId, problem.Path));
    }

    [Fact]
    public async Task Save_LockBindingToUndeclaredInput_IsRejected()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync("""
        { "id": "locked", "locks": [ { "name": "vm:{{ input.vmId }}" } ],
          "activities": [ { "id": "s", "type": "Flow.Start" } ] }
        """, publish: false));
        Assert.Contains(e.Problems, p => p.Path == "locks[0].name" && p.Message.Contains("no input 'vmId'"));
    }

    [Theory]
    [InlineData("{}", "a Delay needs seconds or until")]
    [InlineData("{ \"seconds\": -5 }", "from 0 to 3155760000")]
    [InlineData("{ \"seconds\": 4e9 }", "from 0 to 3155760000")]
    [InlineData("{ \"seconds\": \"\" }", "is not a valid number")]
    public async Task Save_DelayWithoutAWaitOrOutOfRange_IsAProblemOnSeconds_AndNothingIsSaved(string inputs, string expected)
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync($$"""
        {
          "id": "waits",
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "wait", "type": "Flow.Delay", "inputs": {{inputs}} }
          ],
          "connections": [ { "source": "start", "target": "wait" } ]
        }
        """, publish: true));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("wait", problem.ActivityId);
        Assert.Equal("inputs.seconds", problem.Path);
        Assert.Contains(expected, problem.Message);
        Assert.Empty(await engine.Store.ListAsync());
    }

    [Theory]
    [InlineData("{ \"seconds\": 0 }")]
    [InlineData("{ \"until\": \"2026-12-01T06:00:00Z\" }")]
    [InlineData("{ \"seconds\": \"{{ input.wait }}\" }")]
    public async Task Save_DelayWithSecondsUntilOrABinding_IsAccepted(string inputs)
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.Store.ImportAsync($$"""
        {
          "id": "waits",
          "inputs": [ { "name": "wait", "type": "number" } ],
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "wait", "type": "Flow.Delay", "inputs": {{inputs}} }
          ],
          "connections": [ { "source": "start", "target": "wait" } ]
        }
        """, publish: true);
        Assert.Single(await engine.Store.ListAsync());
    }
}
