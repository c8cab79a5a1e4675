using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BackupWorkflows.Cli.Tests.Fixtures;

namespace BackupWorkflows.Cli.Tests;

/// <summary>bwf as a process: what scripts and terminals receive (colour and cursor codes).</summary>
[Collection(CliServerCollection.Name)]
public sealed partial class OutputTests(CliServer server)
{
    private static readonly Dictionary<string, string> NoOverrides = [];

    /// <summary>An SGR (colour/bold) escape sequence.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Colour();

    /// <summary>A workflow that faults at once, so that `--wait` prints its red "Faulted" line.</summary>
    private async Task<string> FaultingWorkflowAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("bwf-cli-output").FullName, "faulting.json");
        await File.WriteAllTextAsync(file, """
            { "id": "cli-output-fault", "name": "Faults at once",
              "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "boom", "type": "Flow.Fault", "inputs": { "message": "no colour here" } } ],
              "connections": [ { "source": "start", "target": "boom" } ] }
            """);
        var imported = await server.RunAsync("workflow", "import", file, "--publish");
        Assert.True(imported.ExitCode == 0, imported.Error);
        return "cli-output-fault";
    }

    [Fact]
    public async Task RedirectedOutput_HasNoEscapeBytes_EvenWithAColourTerminalType()
    {
        var workflow = await FaultingWorkflowAsync();

        var run = await server.RunProcessAsync(NoOverrides, terminal: false, "workflow", "run", workflow, "--wait");
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Error}{run.Output}");
        Assert.Contains("Faulted", run.Output);
        Assert.Contains("no colour here", run.Output);
        Assert.DoesNotContain('\x1b', run.Output + run.Error);

        var table = await server.RunProcessAsync(NoOverrides, terminal: false, "workflow", "list");
        Assert.Contains(workflow, table.Output);
        Assert.DoesNotContain('\x1b', table.Output);

        var json = await server.RunProcessAsync(NoOverrides, terminal: false, "workflow", "run", workflow, "--wait", "-o", "json");
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("Faulted", JsonNode.Parse(json.Output)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AtATerminal_ColoursUnlessNoColorIsSet()
    {
        var workflow = await FaultingWorkflowAsync();

        var coloured = await server.RunProcessAsync(NoOverrides, terminal: true, "workflow", "run", workflow, "--wait");
        Assert.True(coloured.ExitCode == 1, $"exit {coloured.ExitCode}: {coloured.Error}{coloured.Output}");
        Assert.Matches(Colour(), coloured.Output);

        var plain = await server.RunProcessAsync(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, terminal: true, "workflow", "run", workflow, "--wait");
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("Faulted", plain.Output);
        Assert.DoesNotMatch(Colour(), plain.Output);
    }
}
