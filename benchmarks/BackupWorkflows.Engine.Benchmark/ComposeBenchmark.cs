using System.Collections.Concurrent;
using System.Diagnostics;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Benchmark;

/// <summary>
/// <c>compose N</c>: trigger dispatch in the engine (a start naming a trigger -> the first activity after the
/// trigger running) and the overhead of <c>Flow.RunWorkflow</c> per child (a parent that runs a one-step
/// child, minus running that child directly), one instance at a time on a fresh SQLite file.
/// </summary>
public static class ComposeBenchmark
{
    public static async Task RunAsync(int n)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bwf-bench-compose-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddWorkflowEngine(o =>
            {
                o.UseSqlite($"Data Source={file}");
                o.AddActivity<StepActivity>();
                o.RunHostedService = false;
                o.NodeId = "bench";
            })
            .BuildServiceProvider();
        await using (services)
        {
            var store = services.GetRequiredService<IWorkflowDefinitionStore>();
            var runtime = services.GetRequiredService<IWorkflowRuntime>();
            var events = services.GetRequiredService<IWorkflowEvents>();
            await store.ImportAsync("""{ "id": "one-step", "activities": [ { "id": "s0", "type": "Bench.Step" } ] }""", publish: true);
            await store.ImportAsync("""
                { "id": "hooked", "activities": [ { "id": "hook", "type": "Trigger.Http", "inputs": { "path": "bench" } }, { "id": "s0", "type": "Bench.Step" } ],
                  "connections": [ { "source": "hook", "target": "s0" } ] }
                """, publish: true);
            await store.ImportAsync("""
                { "id": "parent", "activities": [ { "id": "run", "type": "Flow.RunWorkflow", "inputs": { "workflowId": "one-step" } } ] }
                """, publish: true);

            var ended = new ConcurrentDictionary<string, TaskCompletionSource>();
            using var _ = events.Subscribe(e =>
            {
                if (e.Kind == WorkflowEventKind.InstanceStatusChanged && e.Status is WorkflowStatus.Finished or WorkflowStatus.Faulted)
                    ended.GetOrAdd(e.InstanceId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            });
            async Task<(long Start, string Id)> RunAsync(string definition, StartOptions? options = null)
            {
                var start = Stopwatch.GetTimestamp();
                var id = await runtime.StartAsync(definition, null, options);
                await ended.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return (start, id);
            }

            var trigger = new StartOptions { Trigger = new TriggerStart("hook", "Trigger.Http", new() { ["path"] = "bench" }) };
            for (var i = 0; i < 30; i++) { await RunAsync("hooked", trigger); await RunAsync("parent"); await RunAsync("one-step"); } // warm-up

            var dispatch = new List<double>();
            var direct = new List<double>();
            var parent = new List<double>();
            for (var i = 0; i < n; i++)
            {
                var (start, id) = await RunAsync("hooked", trigger);
                StepActivity.Stamps.TryRemove(id, out var stamps);
                dispatch.Add(Ms(stamps![0].Enter - start));
                var t = Stopwatch.GetTimestamp();
                await RunAsync("one-step");
                direct.Add(Ms(Stopwatch.GetTimestamp() - t));
                t = Stopwatch.GetTimestamp();
                await RunAsync("parent");
                parent.Add(Ms(Stopwatch.GetTimestamp() - t));
            }
            StepActivity.Stamps.Clear();
            Console.WriteLine($"compose benchmark: {n} runs each, SQLite (WAL), {Environment.ProcessorCount} cores");
            Console.WriteLine($"trigger dispatch (start naming a trigger -> first activity after it running): median {P(dispatch, 0.5):F2} ms, p99 {P(dispatch, 0.99):F2} ms");
            Console.WriteLine($"one-step workflow run directly: median {P(direct, 0.5):F2} ms, p99 {P(direct, 0.99):F2} ms");
            Console.WriteLine($"the same as a RunWorkflow child of a parent: median {P(parent, 0.5):F2} ms, p99 {P(parent, 0.99):F2} ms");
            Console.WriteLine($"RunWorkflow overhead per child (parent - direct, medians): {P(parent, 0.5) - P(direct, 0.5):F2} ms");
        }
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double P(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
