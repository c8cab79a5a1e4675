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
}
