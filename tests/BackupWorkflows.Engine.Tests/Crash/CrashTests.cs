using System.Diagnostics;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;

namespace BackupWorkflows.Engine.Tests.Crash;

/// <summary>
/// Real crashes: a child process runs the flow on a SQLite file and is killed with SIGKILL inside
/// the middle activity; a new process resumes it.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KilledMidActivity_NewProcessResumes_EveryActivityOnceExceptInterruptedOneTwice()
    {
        var journal = await CrashAndResumeAsync(firstNode: "crash-node", secondNode: "crash-node", leaseSeconds: 30);
        Assert.Equal("crash-node", journal.Single(j => j.ActivityId == "middle" && j.Attempt == 2).Node);
    }

    [Fact]
    public async Task KilledNode_AnotherNodeTakesOverAfterTheLeaseExpires()
    {
        var started = Stopwatch.StartNew();
        var journal = await CrashAndResumeAsync(firstNode: "node-a", secondNode: "node-b", leaseSeconds: 3);
        var resumed = journal.Single(j => j.ActivityId == "middle" && j.Attempt == 2);
        Assert.Equal("node-b", resumed.Node);
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(3)); // waited for node-a's lease
    }

    [Fact]
    public async Task KilledWhileTheChildRuns_ParentAndChildResume_ParentCompletesOnceWithOneChild()
    {
        var db = Path.Combine(Path.GetTempPath(), $"bwf-crash-parent-{Guid.NewGuid():N}.db");
        try
        {
            using (var first = StartChild(db, "crash-node", 30, "parent"))
            {
                await using var observer = await EngineHost.StartAsync("sqlite", configure: o =>
                {
                    o.RunHostedService = false;
                    o.NodeId = "observer";
                    o.AddActivity<CrashStep>();
                    o.AddActivity<CrashInterruptible>();
                }, connection: $"Data Source={db}");
                var childId = await PollAsync(async () =>
                {
                    if (first.HasExited) throw new InvalidOperationException($"child exited early: {await first.StandardError.ReadToEndAsync()}");
                    var child = (await observer.Queries.ListAsync(new InstanceFilter { DefinitionId = "crash" })).Items.SingleOrDefault();
                    if (child is null) return null;
                    var entries = await observer.JournalAsync(child.Id);
                    return entries.Any(j => j is { ActivityId: "middle", Status: ExecutionStatus.Running }) ? child.Id : null;
                });
                first.Kill(); // SIGKILL while the parent waits for its child
                await first.WaitForExitAsync();
                Assert.NotNull(childId);
            }

            using var second = StartChild(db, "crash-node", 30, "parent");
            var output = second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(second.ExitCode == 0, $"second run failed ({second.ExitCode}): {await second.StandardError.ReadToEndAsync()}");

            await using var reader = await EngineHost.StartAsync("sqlite", configure: o => o.RunHostedService = false, connection: $"Data Source={db}");
            var instances = (await reader.Queries.ListAsync()).Items;
            Assert.Equal(2, instances.Count); // the parent and exactly one child
            var parent = instances.Single(i => i.DefinitionId == "crash-parent");
            var child = instances.Single(i => i.DefinitionId == "crash");
            Assert.Equal(parent.Id, (await output).Trim());
            Assert.Equal((WorkflowStatus.Finished, WorkflowStatus.Finished), (parent.Status, child.Status));
            Assert.Equal(parent.Id, (await reader.Queries.GetAsync(child.Id))!.ParentInstanceId);
            Assert.Equal(
                [("run", 1, ExecutionStatus.Interrupted, false), ("run", 2, ExecutionStatus.Completed, true), ("after", 1, ExecutionStatus.Completed, false)],
                (await reader.JournalAsync(parent.Id)).Select(j => (j.ActivityId, j.Attempt, j.Status, j.IsResume)));
            Assert.Equal(
                [("first", 1, ExecutionStatus.Completed), ("middle", 1, ExecutionStatus.Interrupted), ("middle", 2, ExecutionStatus.Completed), ("last", 1, ExecutionStatus.Completed)],
                (await reader.JournalAsync(child.Id)).Select(j => (j.ActivityId, j.Attempt, j.Status)));
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        }
    }

    private static async Task<IReadOnlyList<JournalEntry>> CrashAndResumeAsync(string firstNode, string secondNode, double leaseSeconds)
    {
        var db = Path.Combine(Path.GetTempPath(), $"bwf-crash-{Guid.NewGuid():N}.db");
        try
        {
            using (var first = StartChild(db, firstNode, leaseSeconds))
            {
                await using var observer = await EngineHost.StartAsync("sqlite", configure: o =>
                {
                    o.RunHostedService = false;
                    o.NodeId = "observer";
                    o.AddActivity<CrashStep>();
                    o.AddActivity<CrashInterruptible>();
                }, connection: $"Data Source={db}");
                var id = await PollAsync(async () =>
                {
                    if (first.HasExited) throw new InvalidOperationException($"child exited early: {await first.StandardError.ReadToEndAsync()}");
                    var page = await observer.Queries.ListAsync();
                    if (page.Items is not [var instance]) return null;
                    var entries = await observer.JournalAsync(instance.Id);
                    return entries.Any(j => j is { ActivityId: "middle", Status: ExecutionStatus.Running }) ? instance.Id : null;
                });
                first.Kill(); // SIGKILL: no shutdown code runs
                await first.WaitForExitAsync();
                Assert.NotNull(id);
            }

            using var second = StartChild(db, secondNode, leaseSeconds);
            var output = second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(second.ExitCode == 0, $"second run failed ({second.ExitCode}): {await second.StandardError.ReadToEndAsync()}");

            await using var reader = await EngineHost.StartAsync("sqlite", configure: o => o.RunHostedService = false, connection: $"Data Source={db}");
            var info = Assert.Single((await reader.Queries.ListAsync()).Items);
            Assert.Equal(info.Id, (await output).Trim());
            Assert.Equal(WorkflowStatus.Finished, info.Status);
            var journal = await reader.JournalAsync(info.Id);
            Assert.Equal(
                [("first", 1, ExecutionStatus.Completed, false), ("middle", 1, ExecutionStatus.Interrupted, false),
                 ("middle", 2, ExecutionStatus.Completed, true), ("last", 1, ExecutionStatus.Completed, false)],
                journal.Select(j => (j.ActivityId, j.Attempt, j.Status, j.IsResume)));
            Assert.Equal(["resumed at attempt 2"], journal[2].Lines);
            return journal;
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        }
    }

    private static Process StartChild(string db, string node, double leaseSeconds, string? mode = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(CrashHost).Assembly.Location, "crash-host", db, node, leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        if (mode is not null) start.ArgumentList.Add(mode);
        return Process.Start(start)!;
    }

    /// <summary>Polls a real child process's database until <paramref name="probe"/> yields a value (60 s deadline).</summary>
    private static async Task<T?> PollAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await probe() is { } value) return value;
            await Task.Delay(50);
        }
        return null;
    }
}
