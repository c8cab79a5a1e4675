using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Engine.Tests.Runtime;

[Collection(PostgresCollection.Name)]
public sealed class RetryTests(PostgresCluster postgres)
{
    private static string Flaky(string id, string key, int failures, string extra = "", bool failedBranch = false, bool throwArgument = false)
    {
        var cleanup = failedBranch ? $$$"""{ "id": "cleanup", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "cleanup" } },""" : "";
        var failed = failedBranch ? """, { "source": "flaky", "outcome": "Failed", "target": "cleanup" }""" : "";
        return $$$"""
            { "id": "{{{id}}}", "activities": [
                { "id": "flaky", "type": "Test.Flaky", "inputs": { "key": "{{{key}}}", "failures": {{{failures}}}, "throwArgument": {{{(throwArgument ? "true" : "false")}}} } {{{extra}}} },
                {{{cleanup}}}
                { "id": "after", "type": "Test.Record", "inputs": { "log": "{{{key}}}", "text": "after" } } ],
              "connections": [ { "source": "flaky", "target": "after" }{{{failed}}} ] }
            """;
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task TransientFailures_AreRetriedWithBackoff_EachAttemptJournaled(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = Guid.NewGuid().ToString("N");
        await engine.PublishAsync(Flaky("retry", key, failures: 2));
        var info = await engine.RunAsync("retry");
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        var attempts = (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "flaky").ToList();
        Assert.Equal([(1, ExecutionStatus.Faulted), (2, ExecutionStatus.Faulted), (3, ExecutionStatus.Completed)],
            attempts.Select(a => (a.Attempt, a.Status)));
        Assert.Equal("transient failure 1", attempts[0].Error); // the message users read, no .NET type name
        Assert.Equal(3, info.Outputs!["flaky"]!["seenAttempt"]!.GetValue<int>());
        Assert.Empty(await engine.Queries.GetIncidentsAsync(info.Id));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task NonRetryableError_IsNotRetried_AndFailedOutcomeTakenWhenConnected(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = Guid.NewGuid().ToString("N");
        await engine.PublishAsync(Flaky("nonretry", key, failures: 0, failedBranch: true, throwArgument: true));
        var info = await engine.RunAsync("nonretry");
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        var attempt = Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "flaky");
        Assert.Equal(("Failed", ExecutionStatus.Faulted), (attempt.Outcome, attempt.Status));
        Assert.Equal(["cleanup:cleanup"], RecordActivity.Calls[key]);
        var incident = Assert.Single(await engine.Queries.GetIncidentsAsync(info.Id));
        Assert.True(incident.Handled);
        Assert.Equal(typeof(ArgumentException).FullName, incident.ExceptionType);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Exhausted_WithoutFailedConnection_FaultsWithIncident_ThenRetryResumesFromFailedActivity(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = Guid.NewGuid().ToString("N");
        // The definition overrides the class's 3 attempts with 2: attempts 1 and 2 fail, the retry's attempt 3 succeeds.
        await engine.PublishAsync(Flaky("exhaust", key, failures: 2, extra: ", \"retry\": { \"maxAttempts\": 2 }"));
        var info = await engine.RunAsync("exhaust");
        Assert.Equal((WorkflowStatus.Faulted, "flaky"), (info.Status, info.FaultedActivityId));
        var incident = Assert.Single(await engine.Queries.GetIncidentsAsync(info.Id));
        Assert.Equal((2, false), (incident.Attempts, incident.Handled));

        await engine.Runtime.RetryAsync(info.Id);
        var retried = await engine.WaitAsync(info.Id);
        Assert.Equal(WorkflowStatus.Finished, retried.Status);
        Assert.Equal(["after:after"], RecordActivity.Calls[key]);
        var journal = await engine.JournalAsync(info.Id);
        Assert.Equal([1, 2, 3], journal.Where(j => j.ActivityId == "flaky").Select(j => j.Attempt));
        await Assert.ThrowsAsync<WorkflowInstanceStateException>(() => engine.Runtime.RetryAsync(info.Id));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task Timeout_CancelsTheAttemptsToken_AndCountsAsFailure(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        await engine.PublishAsync("""
            { "id": "slow", "activities": [ { "id": "s", "type": "Test.Slow", "retry": { "maxAttempts": 2, "baseDelaySeconds": 0 } } ] }
            """);
        var info = await engine.RunAsync("slow");
        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        var attempts = await engine.JournalAsync(info.Id);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("The attempt timed out after 0.2 s.", a.Error)); // user terms, no .NET type name
        Assert.All(attempts, a => Assert.True(a.EndedAt - a.StartedAt < TimeSpan.FromSeconds(10)));
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task DurableRetry_WaitsSuspendedUntilDue_SurvivesARestart_ThenSucceeds(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-dretry-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        var key = Guid.NewGuid().ToString("N");
        const string durable = ", \"retry\": { \"maxAttempts\": 1 }";
        string id;
        await using (var first = await EngineHost.StartAsync(provider, postgres, connection: connection))
        {
            await first.PublishAsync(Flaky("durable", key, failures: 2, extra: durable)
                .Replace("\"throwArgument\": false", "\"throwArgument\": false, \"durableAttempts\": 3, \"durableIntervalSeconds\": 2"));
            id = await first.Runtime.StartAsync("durable", null);
            var waiting = await first.WaitAsync(id, untilIdle: true);
            Assert.Equal(WorkflowStatus.Suspended, waiting.Status);
            Assert.True(waiting.ResumeAt > waiting.UpdatedAt, $"resume at {waiting.ResumeAt}, updated {waiting.UpdatedAt}");
            var failed = Assert.Single(await first.JournalAsync(id), j => j.ActivityId == "flaky");
            Assert.Equal((ExecutionStatus.Faulted, "transient failure 1"), (failed.Status, failed.Error));
            Assert.Empty(await first.Queries.GetIncidentsAsync(id)); // a durable retry is no incident yet
        } // stopped while the retry waits: the wait is a row, not a timer in this process

        await using var second = await EngineHost.StartAsync(provider, postgres, connection: connection);
        var info = await second.WaitAsync(id);
        Assert.Equal(WorkflowStatus.Finished, info.Status);
        Assert.Equal([ExecutionStatus.Faulted, ExecutionStatus.Faulted, ExecutionStatus.Completed],
            (await second.JournalAsync(id)).Where(j => j.ActivityId == "flaky").Select(j => j.Status));
        Assert.Equal(["after:after"], RecordActivity.Calls[key]);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task DurableRetry_ItsWait_IsPublishedAsActivitySuspended_WithTheAttemptsErrorAndTheDueMoment(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = Guid.NewGuid().ToString("N");
        await engine.PublishAsync(Flaky("dsuspend", key, failures: 2, extra: ", \"retry\": { \"maxAttempts\": 1 }")
            .Replace("\"throwArgument\": false", "\"throwArgument\": false, \"durableAttempts\": 3, \"durableIntervalSeconds\": 60"));
        var events = new List<WorkflowEvent>();
        using var subscription = engine.Events.Subscribe(e => { lock (events) events.Add(e); });
        var id = await engine.Runtime.StartAsync("dsuspend", null);
        var waiting = await engine.WaitAsync(id, untilIdle: true);
        Assert.Equal(WorkflowStatus.Suspended, waiting.Status);

        lock (events)
        {
            var flaky = events.Where(e => e.InstanceId == id && e.ActivityId == "flaky").ToList();
            var e = Assert.Single(flaky, e => e.Kind == WorkflowEventKind.ActivitySuspended);
            Assert.Equal((waiting.ActivityResumeAt["flaky"], "transient failure 1"), (e.ResumeAt, e.Message));
            // The failed attempt is published as faulted; the wait that follows is the item's last word.
            Assert.Equal(WorkflowEventKind.ActivitySuspended, flaky[^1].Kind);
            Assert.DoesNotContain(flaky, e => e.Kind == WorkflowEventKind.ActivityCompleted);
        }
        Assert.True(await engine.Runtime.CancelAsync(id));
        Assert.Equal(WorkflowStatus.Cancelled, (await engine.WaitAsync(id)).Status);
    }

    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task DurableRetry_Exhausted_FaultsWithTheLastReason_AndCountsTheAttempts(string provider)
    {
        await using var engine = await EngineHost.StartAsync(provider, postgres);
        var key = Guid.NewGuid().ToString("N");
        await engine.PublishAsync(Flaky("dexhaust", key, failures: 5, extra: ", \"retry\": { \"maxAttempts\": 1 }")
            .Replace("\"throwArgument\": false", "\"throwArgument\": false, \"durableAttempts\": 2, \"durableIntervalSeconds\": 0.1"));
        var info = await engine.RunAsync("dexhaust");
        Assert.Equal((WorkflowStatus.Faulted, "flaky: transient failure 2"), (info.Status, info.Fault));
        var incident = Assert.Single(await engine.Queries.GetIncidentsAsync(info.Id));
        Assert.Equal(2, incident.Attempts);
        Assert.Equal(2, (await engine.JournalAsync(info.Id)).Count(j => j.ActivityId == "flaky" && j.Status == ExecutionStatus.Faulted));
    }
}
