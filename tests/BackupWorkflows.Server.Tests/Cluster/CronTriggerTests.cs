using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Databases;
using BackupWorkflows.Testing.Servers;

namespace BackupWorkflows.Server.Tests.Cluster;

/// <summary>
/// A workflow's <c>Trigger.Cron</c> on two real server processes sharing PostgreSQL (Quartz clustered): every
/// firing of a two-second cron starts exactly one instance across both nodes, recorded with its trigger; after
/// unpublishing, no firing starts anything.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CronTriggerTests(PostgresCluster postgres) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bwf-cron-trigger-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServerProcess> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task TwoNodes_EachFiringStartsExactlyOneInstance_UnpublishStopsIt()
    {
        var connection = postgres.NewDatabase();
        foreach (var name in new[] { "cron-a", "cron-b" })
            _nodes.Add(await ServerProcess.StartAsync(new ServerProcessOptions
            {
                DataDirectory = Path.Combine(_root, name),
                Arguments = ["--database", "postgres", "--connection", connection, "--node", name],
            }));
        var key = _nodes[0].InitialAdminKey ?? _nodes[1].InitialAdminKey;
        var viaA = _nodes[0].Client(key);
        var viaB = _nodes[1].Client(key);

        var imported = await viaA.PostAsync("/api/workflows/import?publish=true", new StringContent("""
            { "id": "ticker", "inputs": [ { "name": "label", "type": "string", "required": true } ],
              "activities": [
                { "id": "tick", "type": "Trigger.Cron", "inputs": { "cron": "*/2 * * * * ?", "timeZone": "Europe/Berlin", "input": { "label": "tick" } } },
                { "id": "done", "type": "Flow.Finish", "inputs": { "output": { "label": "{{ input.label }}" } } } ],
              "connections": [ { "source": "tick", "target": "done" } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var runs = await Eventually.UntilAsync(async () =>
        {
            var list = await RunsAsync(viaB);
            return list.Count >= 5 ? list : null;
        }, "five firings", TimeSpan.FromSeconds(60));
        Assert.Equal(1, await QuartzTriggersAsync(connection)); // the store holds it while published: its absence below means something
        var unpublished = await viaB.PostAsync("/api/workflows/ticker/unpublish", null);
        Assert.True(unpublished.IsSuccessStatusCode, await unpublished.Content.ReadAsStringAsync());
        var atUnpublish = DateTime.UtcNow;

        // Every firing from the first to the last started one instance: no gap, no double.
        runs = await RunsAsync(viaB);
        var fireTimes = runs.Select(FireTime).Order().ToList();
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.Equal((int)(fireTimes[^1] - fireTimes[0]).TotalSeconds / 2 + 1, fireTimes.Count);

        var first = (await viaA.GetFromJsonAsync<JsonArray>("/api/instances?definitionId=ticker&take=1"))![0]!["id"]!.GetValue<string>();
        var instance = (await viaA.GetFromJsonAsync<JsonObject>($"/api/instances/{first}"))!;
        Assert.Equal(("Finished", "tick", "Trigger.Cron", "tick"), (instance["status"]!.GetValue<string>(), instance["trigger"]!["activityId"]!.GetValue<string>(),
            instance["trigger"]!["type"]!.GetValue<string>(), instance["output"]!["label"]!.GetValue<string>()));

        // Unpublishing takes the trigger out of the shared Quartz store: from then on no node can fire it. Once that
        // is so and every instance has ended, only firings scheduled before the unpublish exist (one may have been
        // under way at that moment).
        await Eventually.UntilAsync(async () => await QuartzTriggersAsync(connection) == 0,
            "the cron trigger gone from Quartz's store", TimeSpan.FromSeconds(60));
        var settled = await Eventually.UntilAsync(async () =>
        {
            var all = (await viaA.GetFromJsonAsync<JsonArray>("/api/instances?definitionId=ticker&take=500"))!;
            return all.All(i => i!["status"]!.GetValue<string>() is "Finished" or "Faulted" or "Cancelled") ? await RunsAsync(viaA) : null;
        }, "every ticker instance ended", TimeSpan.FromSeconds(30));
        Assert.True(settled.Count <= runs.Count + 1, $"{settled.Count - runs.Count} instances started after unpublishing");
        Assert.All(settled.Select(FireTime), at => Assert.True(at <= atUnpublish.AddSeconds(1), $"a firing scheduled at {at:O}, after the unpublish at {atUnpublish:O}"));
    }

    private static DateTime FireTime(string correlationId) =>
        DateTime.ParseExact(correlationId[(correlationId.LastIndexOf(':') + 1)..], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Cron triggers of workflows in Quartz's clustered store (group <c>workflow-triggers</c>).</summary>
    private static async Task<long> QuartzTriggersAsync(string connection)
    {
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = 'workflow-triggers'", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> RunsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonArray>("/api/instances?definitionId=ticker&take=500"))!
            .Select(i => i!["correlationId"]?.GetValue<string>() ?? "").Where(c => c.StartsWith("cron:ticker/tick:", StringComparison.Ordinal)).ToList();
}
