using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Databases;
using BackupWorkflows.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Tests.Cluster;

/// <summary>
/// Two real server processes on one PostgreSQL: they share schedules and instances; when the node
/// running an instance is killed with SIGKILL the other finishes it, and every scheduled firing
/// starts exactly one backup.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoNodeTests(PostgresCluster postgres) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bwf-two-nodes-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServerProcess> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private async Task<ServerProcess> StartNodeAsync(string name, string connection)
    {
        var node = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = Path.Combine(_root, name),
            Arguments = ["--database", "postgres", "--connection", connection, "--node", name, "--lease-seconds", "4"],
        });
        _nodes.Add(node);
        return node;
    }

    [Fact]
    public async Task KilledNode_ItsInstanceIsFinishedByTheOther_AndEachFiringRunsOnce()
    {
        var connection = postgres.NewDatabase();
        var a = await StartNodeAsync("node-a", connection);
        var b = await StartNodeAsync("node-b", connection);
        var key = a.InitialAdminKey ?? b.InitialAdminKey;
        Assert.NotNull(key); // exactly one node created the first admin key
        Assert.False(a.InitialAdminKey is not null && b.InitialAdminKey is not null, "both nodes created an admin key");
        var viaA = a.Client(key);
        var viaB = b.Client(key);

        // A trivial 'backup' stand-in and a slow workflow made of built-in activities.
        foreach (var json in new[]
        {
            """{ "id": "backup", "name": "stand-in", "inputs": [{"name":"host","type":"string"},{"name":"vm","type":"string"},{"name":"type","type":"string"}], "activities": [ { "id": "start", "type": "Flow.Start" } ], "connections": [] }""",
            """{ "id": "slow", "name": "slow", "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "first", "type": "Flow.Delay", "inputs": { "seconds": 3 } }, { "id": "second", "type": "Flow.Delay", "inputs": { "seconds": 3 } } ], "connections": [ { "source": "start", "target": "first" }, { "source": "first", "target": "second" } ] }""",
        })
        {
            var imported = await viaA.PostAsync("/api/workflows/import?publish=true", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }

        // A VM under an offering (written straight to the shared database: no libvirt needed here).
        var options = new DbContextOptionsBuilder<BackupDbContext>().UseNpgsql(connection).Options;
        await using (var db = new BackupDbContext(options))
        {
            db.Offerings.Add(new Offering { Name = "cluster" });
            db.Assignments.Add(new VmAssignment { VmName = "vm-1", HostName = "local", OfferingName = "cluster", RepositoryName = "default" });
            await db.SaveChangesAsync();
        }
        var schedule = await (await viaB.PostAsJsonAsync("/api/schedules", new { vm = "vm-1", cron = "*/2 * * * * ?" })).Content.ReadFromJsonAsync<JsonObject>();
        var scheduleId = schedule!["id"]!.GetValue<string>();

        // Start the slow workflow on A and kill A while it is in the middle of it.
        var started = await (await viaA.PostAsJsonAsync("/api/workflows/slow/run", new { })).Content.ReadFromJsonAsync<JsonObject>();
        var instanceId = started!["instanceId"]!.GetValue<string>();
        await Eventually.UntilAsync(async () => (await viaA.GetFromJsonAsync<JsonObject>($"/api/instances/{instanceId}"))!["activities"]!["first"]!["status"]!.GetValue<string>() != "pending", "slow started on A");
        await Task.Delay(1000);
        a.Kill();

        var finished = await Eventually.UntilAsync(async () =>
        {
            var instance = (await viaB.GetFromJsonAsync<JsonObject>($"/api/instances/{instanceId}"))!;
            return instance["status"]!.GetValue<string>() == "Finished" ? instance : null;
        }, "B finishes the instance A was running", TimeSpan.FromSeconds(90));
        var journal = (await viaB.GetFromJsonAsync<JsonArray>($"/api/instances/{instanceId}/journal"))!;
        Assert.Contains(journal, e => e!["activityId"]!.GetValue<string>() == "second" && e["node"]?.GetValue<string>() == "node-b");

        // Firings went on while A ran and after it died (at least two after B took over, waited for: a quick takeover
        // leaves fewer behind than a fixed wait assumed); none started two backups.
        async Task<List<string?>> RunsAsync() => (await viaB.GetFromJsonAsync<JsonArray>("/api/instances?definitionId=backup&take=500"))!
            .Select(i => i!["correlationId"]?.GetValue<string>()).Where(c => c?.StartsWith($"schedule:{scheduleId}:") == true).ToList();
        var atTakeover = (await RunsAsync()).Count;
        var runs = await Eventually.UntilAsync(async () => await RunsAsync() is { } r && r.Count >= Math.Max(4, atTakeover + 2) ? r : null,
            "scheduled firings after B took over", TimeSpan.FromSeconds(60));
        Assert.True(runs.Count >= 4, $"only {runs.Count} scheduled runs");
        Assert.Equal(runs.Count, runs.Distinct().Count());
        var fireTimes = runs.Select(r => DateTime.ParseExact(r![(r!.LastIndexOf(':') + 1)..], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)).Order().ToList();
        Assert.All(fireTimes.Zip(fireTimes.Skip(1)), pair => Assert.True((pair.Second - pair.First).TotalSeconds >= 2));
        Assert.NotNull(finished);
    }
}
