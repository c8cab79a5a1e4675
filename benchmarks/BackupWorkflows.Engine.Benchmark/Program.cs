using System.Diagnostics;
using System.Globalization;
using BackupWorkflows.Engine;
using BackupWorkflows.Engine.Benchmark;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Runs N instances (default 1,000) of a 10-activity flow on a fresh SQLite file and prints the
// engine's own overhead per activity: for each instance, (wall time from StartAsync to the
// Finished event - time spent inside the activities) / 10. Also per-step gaps (previous
// activity's exit to the next one's entry), instances per second with several instances in
// flight, and managed memory after the run (and at its middle, to show it does not grow).
// `compose N`: trigger dispatch and RunWorkflow overhead (ComposeBenchmark).
if (args is ["compose", .. var rest])
{
    await ComposeBenchmark.RunAsync(rest is [var count] ? int.Parse(count, CultureInfo.InvariantCulture) : 500);
    return;
}
var instances = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var file = Path.Combine(Path.GetTempPath(), $"bwf-bench-{Guid.NewGuid():N}.db");
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
    await store.ImportAsync(TenSteps(), publish: true);

    var finished = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<long>>();
    using var _ = events.Subscribe(e =>
    {
        if (e.Kind == WorkflowEventKind.InstanceStatusChanged && e.Status is WorkflowStatus.Finished or WorkflowStatus.Faulted)
            finished.GetOrAdd(e.InstanceId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(Stopwatch.GetTimestamp());
    });

    var startGaps = new List<double>();
    var endGaps = new List<double>();
    async Task<(double PerActivityMs, double[] GapsMs)> RunOne()
    {
        var start = Stopwatch.GetTimestamp();
        var id = await runtime.StartAsync("bench-10");
        var end = await finished.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        finished.TryRemove(id, out var _);
        StepActivity.Stamps.TryRemove(id, out var stamps);
        stamps!.Sort();
        var inside = stamps.Sum(s => s.Exit - s.Enter);
        var gaps = new double[stamps.Count];
        for (var i = 0; i < stamps.Count; i++) gaps[i] = Ms(stamps[i].Enter - (i == 0 ? start : stamps[i - 1].Exit));
        lock (startGaps)
        {
            startGaps.Add(gaps[0]);
            endGaps.Add(Ms(end - stamps[^1].Exit));
        }
        return (Ms(end - start - inside) / stamps.Count, gaps[1..]);
    }

    for (var i = 0; i < 50; i++) await RunOne(); // warm-up (JIT, pools, SQLite page cache)
    startGaps.Clear();
    endGaps.Clear();

    // Phase 1: one instance at a time, so each figure is the engine's own latency.
    var perActivity = new List<double>();
    var gaps = new List<double>();
    long memoryHalf = 0;
    var clock = Stopwatch.StartNew();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < instances; i++)
    {
        var (overhead, g) = await RunOne();
        perActivity.Add(overhead);
        gaps.AddRange(g);
        if (i == instances / 2) memoryHalf = Memory();
    }
    var sequentialRate = instances / clock.Elapsed.TotalSeconds;
    var cpuPerActivity = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / (instances * 10.0);
    var memoryEnd = Memory();

    // Phase 2: several instances in flight (throughput).
    clock.Restart();
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= instances) await RunOne();
    }));
    var concurrentRate = instances / clock.Elapsed.TotalSeconds;
    var memoryAfterAll = Memory();

    Console.WriteLine($"BackupWorkflows engine benchmark: {instances} instances x 10 activities, SQLite (WAL), {Environment.ProcessorCount} cores");
    Console.WriteLine($"engine overhead per activity (instance average): median {Percentile(perActivity, 0.5):F3} ms, p90 {Percentile(perActivity, 0.9):F3} ms, p99 {Percentile(perActivity, 0.99):F3} ms");
    Console.WriteLine($"CPU time of the process per activity (incl. EF, SQLite, GC and thread-pool spinning): {cpuPerActivity:F3} ms");
    Console.WriteLine($"per-step gap (previous activity exit -> next entry, incl. commit): median {Percentile(gaps, 0.5):F3} ms, p90 {Percentile(gaps, 0.9):F3} ms, p99 {Percentile(gaps, 0.99):F3} ms");
    Console.WriteLine($"start of an instance (StartAsync -> first activity entry): median {Percentile(startGaps, 0.5):F3} ms, p99 {Percentile(startGaps, 0.99):F3} ms");
    Console.WriteLine($"end of an instance (last activity exit -> Finished committed): median {Percentile(endGaps, 0.5):F3} ms, p99 {Percentile(endGaps, 0.99):F3} ms");
    Console.WriteLine($"instances per second: {sequentialRate:F1} one at a time, {concurrentRate:F1} with {concurrency} in flight");
    Console.WriteLine($"managed memory after GC: {memoryHalf / 1048576.0:F1} MiB at {instances / 2} instances, {memoryEnd / 1048576.0:F1} MiB at {instances}, {memoryAfterAll / 1048576.0:F1} MiB after {2 * instances}");
    Console.WriteLine($"process working set: {Environment.WorkingSet / 1048576.0:F1} MiB");
}
foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);

static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

static long Memory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static string TenSteps()
{
    var activities = Enumerable.Range(0, 10).Select(i =>
        $$"""{ "id": "s{{i}}", "type": "Bench.Step", "inputs": { "index": {{(i == 0 ? "0" : $"\"{{{{ steps.s{i - 1}.next }}}}\"")}} } }""");
    var connections = Enumerable.Range(1, 9).Select(i => $$"""{ "source": "s{{i - 1}}", "target": "s{{i}}" }""");
    return $$"""{ "id": "bench-10", "activities": [ {{string.Join(",", activities)}} ], "connections": [ {{string.Join(",", connections)}} ] }""";
}
