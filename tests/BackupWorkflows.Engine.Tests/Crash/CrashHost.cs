using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Tests.Crash;

/// <summary>
/// Child process of the crash tests: runs the three-step crash flow on a SQLite file until the
/// instance finishes. Started twice: the first run is killed with SIGKILL inside the middle step;
/// the second resumes it. Usage: <c>crash-host DBFILE NODEID LEASESECONDS [parent]</c>; with <c>parent</c> the
/// crash flow runs as the child of <see cref="ParentDefinitionJson"/> (Flow.RunWorkflow), and the host waits for the parent.
/// </summary>
public static class CrashHost
{
    public const string DefinitionJson = """
        { "id": "crash", "activities": [
            { "id": "first", "type": "Crash.Step" },
            { "id": "middle", "type": "Crash.Interruptible" },
            { "id": "last", "type": "Crash.Step" } ],
          "connections": [ { "source": "first", "target": "middle" }, { "source": "middle", "target": "last" } ] }
        """;

    public const string ParentDefinitionJson = """
        { "id": "crash-parent", "activities": [
            { "id": "run", "type": "Flow.RunWorkflow", "inputs": { "workflowId": "crash" } },
            { "id": "after", "type": "Crash.Step" } ],
          "connections": [ { "source": "run", "target": "after" } ] }
        """;

    public static async Task<int> RunAsync(string dbFile, string nodeId, double leaseSeconds, bool asChild = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkflowEngine(o =>
        {
            o.UseSqlite($"Data Source={dbFile}");
            o.AddActivity<CrashStep>();
            o.AddActivity<CrashInterruptible>();
            o.NodeId = nodeId;
            o.LeaseDuration = TimeSpan.FromSeconds(leaseSeconds);
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var store = host.Services.GetRequiredService<BackupWorkflows.Engine.Definitions.IWorkflowDefinitionStore>();
        var runtime = host.Services.GetRequiredService<IWorkflowRuntime>();
        await store.ImportAsync(DefinitionJson, publish: true); // idempotent on the second run
        if (asChild) await store.ImportAsync(ParentDefinitionJson, publish: true);
        var id = asChild
            ? await runtime.StartAsync("crash-parent", null, new StartOptions { IdempotencyKey = "crash-parent-test" })
            : await runtime.StartAsync("crash", null, new StartOptions { IdempotencyKey = "crash-test" }); // the second run gets the same id
        Console.WriteLine(id);
        var info = await runtime.WaitAsync(id);
        await host.StopAsync();
        return info.Status == WorkflowStatus.Finished ? 0 : 3;
    }
}

/// <summary>A quick step.</summary>
[Activity("Crash.Step")]
public sealed class CrashStep : Activity
{
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done);
}

/// <summary>Blocks on its first attempt (the test kills the process meanwhile); completes when resumed.</summary>
[Activity("Crash.Interruptible")]
public sealed class CrashInterruptible : Activity
{
    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (context.IsResume)
        {
            context.Journal($"resumed at attempt {context.Attempt}");
            return ActivityResult.Done;
        }
        await Task.Delay(TimeSpan.FromMinutes(2), context.TimeProvider, context.CancellationToken);
        throw new InvalidOperationException("The crash test should have killed this process.");
    }
}
