using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;
using BackupWorkflows.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Tests.Idempotency;

/// <summary>
/// Idempotency keys live in the engine's store only: a real server process answers a replayed request with the
/// first instance, also after it was killed and started again on the same database (SQLite and PostgreSQL), refuses
/// the key with another body (422), and drops the server's former idempotency table of an old database at start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IdempotencyAcrossRestartTests(PostgresCluster postgres) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bwf-idempotency-").FullName;

    private const string BackupStandIn = """
        { "id": "backup", "name": "stand-in", "inputs": [{"name":"host","type":"string"},{"name":"vm","type":"string"},{"name":"type","type":"string"}],
          "activities": [ { "id": "start", "type": "Flow.Start" } ], "connections": [] }
        """;

    public static TheoryData<string> Databases => ["sqlite", "postgres"];

    [Theory, MemberData(nameof(Databases))]
    public async Task Replay_AfterARestart_ReturnsTheFirstInstance_AnotherBodyIs422_AndTheFormerTableIsDropped(string database)
    {
        var data = Path.Combine(_root, database);
        var connection = database == "postgres" ? postgres.NewDatabase() : $"Data Source={Path.Combine(data, "bwf.db")}";
        var options = new ServerProcessOptions
        {
            DataDirectory = data, WaitForAdminKey = true,
            Arguments = database == "postgres" ? ["--database", "postgres", "--connection", connection] : [],
        };
        var db = database == "postgres"
            ? new DbContextOptionsBuilder<BackupDbContext>().UseNpgsql(connection).Options
            : new DbContextOptionsBuilder<BackupDbContext>().UseSqlite(connection).Options;

        string first;
        await using (var server = await ServerProcess.StartAsync(options))
        {
            var imported = await server.Admin().PostAsync("/api/workflows/import?publish=true", new StringContent(BackupStandIn, Encoding.UTF8, "application/json"));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
            await using (var backup = new BackupDbContext(db))
            {
                backup.Offerings.Add(new Offering { Name = "keyed" });
                backup.Assignments.Add(new VmAssignment { VmName = "keyed-1", HostName = "local", OfferingName = "keyed", RepositoryName = "default" });
                await backup.SaveChangesAsync();
            }
            first = await StartedAsync(await PostBackupAsync(server, new { vm = "keyed-1" }, "nightly-42"));
            Assert.Equal(first, await StartedAsync(await PostBackupAsync(server, new { vm = "keyed-1" }, "nightly-42")));
            await server.WaitForEndAsync(first, TimeSpan.FromSeconds(60));
        }

        // As an earlier version left the database: the server's own idempotency table beside the engine's keys.
        await using (var old = new BackupDbContext(db))
            await old.Database.ExecuteSqlRawAsync("CREATE TABLE bwf_server_idempotency (\"Key\" varchar(300) NOT NULL PRIMARY KEY, \"InstanceId\" text NOT NULL, \"CreatedAt\" text NOT NULL)");
        if (database == "sqlite") Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using (var restarted = await ServerProcess.StartAsync(options))
        {
            Assert.Equal(first, await StartedAsync(await PostBackupAsync(restarted, new { vm = "keyed-1" }, "nightly-42")));
            var refused = await PostBackupAsync(restarted, new { vm = "keyed-1", full = true }, "nightly-42");
            var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains(first, problem["errors"]!["Idempotency-Key"]![0]!.GetValue<string>());
            var runs = (await restarted.GetAsync("/api/instances?definitionId=backup")).AsArray();
            Assert.Single(runs);
        }

        await using var after = new BackupDbContext(db);
        var formerTable = database == "postgres"
            ? after.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'bwf_server_idempotency'")
            : after.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'bwf_server_idempotency'");
        Assert.Equal(0, await formerTable.SingleAsync());
    }

    private static async Task<HttpResponseMessage> PostBackupAsync(ServerProcess server, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/backups") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await server.Admin().SendAsync(request);
    }

    private static async Task<string> StartedAsync(HttpResponseMessage response) =>
        (await response.OkJsonAsync())["instanceId"]!.GetValue<string>();

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
