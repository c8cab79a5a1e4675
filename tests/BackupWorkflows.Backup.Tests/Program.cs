using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests;

/// <summary>
/// Entry point of the test assembly when it runs as the crash test's child process:
/// <c>backup-host DIR VM NODE</c> runs (or resumes) one backup of VM with the harness database in
/// DIR, printing each activity start as <c>started ID</c>, and exits 0 when it finished.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["backup-host", var dir, var vm, var node])
        {
            await Console.Error.WriteLineAsync("usage: backup-host DIR VM NODE");
            return 2;
        }
        await using var harness = await BackupHarness.StartAsync(directory: dir, nodeId: node, register: false);
        harness.KeepDirectory = true;
        using var subscription = harness.Services.GetRequiredService<IWorkflowEvents>().Subscribe(e =>
        {
            if (e.Kind == WorkflowEventKind.ActivityStarted) Console.WriteLine($"started {e.ActivityId}");
        });
        var runtime = harness.Services.GetRequiredService<IWorkflowRuntime>();
        var id = await runtime.StartAsync("backup", new JsonObject { ["host"] = harness.HostName, ["vm"] = vm },
            new StartOptions { IdempotencyKey = "crash-" + vm });
        var info = await runtime.WaitAsync(id);
        Console.WriteLine($"ended {info.Status}");
        return info.Status == WorkflowStatus.Finished ? 0 : 3;
    }
}
