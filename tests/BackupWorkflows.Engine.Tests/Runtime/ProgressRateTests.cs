using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Tests.Runtime;

[Trait("Category", "Unit")]
public sealed class ProgressRateTests
{
    [Fact]
    public async Task ChattyProgress_IsPersistedAtMostOncePerInterval_ButLiveValueIsCurrent()
    {
        var connection = $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-rate-{Guid.NewGuid():N}.db")}";
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var engine = await EngineHost.StartAsync("sqlite", configure: o => o.ProgressInterval = TimeSpan.FromSeconds(1),
            services: s => s.AddSingleton<TimeProvider>(clock), connection: connection);
        await using var reader = await EngineHost.StartAsync("sqlite", configure: o => { o.RunHostedService = false; o.NodeId = "reader"; }, connection: connection);
        var name = $"rate-{Guid.NewGuid():N}";
        await engine.PublishAsync($$"""{ "id": "chatty", "activities": [ { "id": "c", "type": "Test.Chatty", "inputs": { "name": "{{name}}" } } ] }""");
        var id = await engine.Runtime.StartAsync("chatty");

        await Gates.Entered($"{name}-a").Task.WithDeadline();
        Assert.Equal(100, Assert.Single(await engine.Queries.GetProgressAsync(id)).Done); // live value
        Assert.Equal(1, await PersistedDoneAsync(reader, id, expected: 1)); // 99 reports within the interval were not written

        clock.Advance(TimeSpan.FromSeconds(1.5));
        Gates.Release($"{name}-a");
        await Gates.Entered($"{name}-b").Task.WithDeadline();
        Assert.Equal(101, await PersistedDoneAsync(reader, id, expected: 101)); // the interval passed: written again
        Gates.Release($"{name}-b");
        Assert.Equal(WorkflowStatus.Finished, (await engine.WaitAsync(id)).Status);
    }

    /// <summary>Reads the persisted value through another engine (no live runners), polling the database with a deadline.</summary>
    private static async Task<long> PersistedDoneAsync(EngineHost reader, string id, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long done = -1;
        while (DateTime.UtcNow < deadline)
        {
            done = (await reader.Queries.GetProgressAsync(id)).SingleOrDefault()?.Done ?? -1;
            if (done == expected) break;
            await Task.Delay(20);
        }
        return done;
    }
}
