using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Api;

public sealed class InfrastructureTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task EmbeddedDefault_HasLocalHostAndRepositoryUnderDataDirectory()
    {
        var hosts = (await (await server.Admin().GetAsync("/api/hosts")).OkJsonAsync()).AsArray();
        var local = Assert.Single(hosts, h => h!["name"]!.GetValue<string>() == "local")!;
        Assert.Equal("local", local["uri"]!.GetValue<string>());
        var repos = (await (await server.Admin().GetAsync("/api/repositories")).OkJsonAsync()).AsArray();
        var repo = Assert.Single(repos, r => r!["name"]!.GetValue<string>() == "default")!;
        Assert.Equal(Path.Combine(server.DataDirectory, "repository"), repo["path"]!.GetValue<string>());
        Assert.True(Directory.Exists(repo["path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Hosts_AddListRemove()
    {
        var added = await (await server.Admin().PostJsonAsync("/api/hosts", new
        {
            name = "kvm-2", uri = "openssh://backup@10.0.0.2:2222", identityFile = "/etc/bwf/id_ed25519",
            knownHostsFile = "/etc/bwf/known_hosts", maxConcurrentBackups = 3, maxConcurrentCompressions = 1,
            stagingCapacityBytes = 10L << 30,
        })).OkJsonAsync();
        Assert.Equal("/var/tmp/bwf-staging", added["stagingDir"]!.GetValue<string>());
        var hosts = (await (await server.Admin().GetAsync("/api/hosts")).OkJsonAsync()).AsArray();
        var kvm2 = Assert.Single(hosts, h => h!["name"]!.GetValue<string>() == "kvm-2")!;
        Assert.Equal((3, 1, 10L << 30), (kvm2["maxConcurrentBackups"]!.GetValue<int>(), kvm2["maxConcurrentCompressions"]!.GetValue<int>(),
            kvm2["stagingCapacityBytes"]!.GetValue<long>()));
        var local = Assert.Single(hosts, h => h!["name"]!.GetValue<string>() == "local")!;
        Assert.Equal(5, local["maxConcurrentCompressions"]!.GetValue<int>());
        Assert.Null(local["stagingCapacityBytes"]);
        await (await server.Admin().PostJsonAsync("/api/hosts", new { name = "kvm-2", uri = "local" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/hosts/kvm-2")).StatusCode);
        await (await server.Admin().DeleteAsync("/api/hosts/kvm-2")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("bad name", "local", null, "name")]
    [InlineData("-rf", "local", null, "name")]
    [InlineData("h1", "ftp://x", null, "uri")]
    [InlineData("h1", "ssh://host-without-user", null, "uri")]
    [InlineData("h1", "ssh://u:pw@host", null, "uri")]
    [InlineData("h1", "", null, "uri")]
    [InlineData("h1", "local", "relative/dir", "stagingDir")]
    [InlineData("h1", "local", "/var/../etc", "stagingDir")]
    public async Task Hosts_BadInput_Is400WithTheField(string name, string uri, string? staging, string field)
    {
        var problem = await (await server.Admin().PostJsonAsync("/api/hosts", new { name, uri, stagingDir = staging }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Theory]
    [InlineData("maxConcurrentCompressions", -2)]
    [InlineData("maxConcurrentCompressions", 101)]
    [InlineData("stagingCapacityBytes", -1)]
    public async Task Hosts_LimitsOutOfRange_Are400WithTheField(string field, long value)
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["name"] = "h1", ["uri"] = "local", [field] = value };
        var problem = await (await server.Admin().PostJsonAsync("/api/hosts", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Repositories_AddListRemove_AndBadPaths()
    {
        var dir = Path.Combine(server.DataDirectory, "repo2");
        await (await server.Admin().PostJsonAsync("/api/repositories", new { name = "nfs", path = dir })).OkJsonAsync();
        var repos = (await (await server.Admin().GetAsync("/api/repositories")).OkJsonAsync()).AsArray();
        Assert.Contains(repos, r => r!["name"]!.GetValue<string>() == "nfs" && r["usedBytes"]!.GetValue<long>() == 0);
        await (await server.Admin().PostJsonAsync("/api/repositories", new { name = "nfs", path = dir })).AssertProblemAsync(HttpStatusCode.Conflict);
        var bad = await (await server.Admin().PostJsonAsync("/api/repositories", new { name = "r2", path = "backups" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["path"]);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/repositories/nfs")).StatusCode);
    }

    [Fact]
    public async Task Offerings_CreateWithDefaults_ListDelete_AndBadInput()
    {
        var created = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "gold", chainSize = 4, compress = true, validate = true })).OkJsonAsync();
        Assert.Equal("zstd", created["compressionLibrary"]!.GetValue<string>());
        Assert.False(created["allowQuickRestore"]!.GetValue<bool>());
        var list = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, o => o!["name"]!.GetValue<string>() == "gold" && o["chainSize"]!.GetValue<int>() == 4);
        var bad = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "x", chainSize = -3, compressionLibrary = "lz4" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["chainSize"]);
        Assert.NotNull(bad["errors"]!["compressionLibrary"]);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/offerings/gold")).StatusCode);
    }

    [Fact]
    public async Task Offerings_QuiescePolicy_IsSetShownAndValidated()
    {
        var byDefault = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "q-default" })).OkJsonAsync();
        Assert.Equal("prefer", byDefault["quiesce"]!.GetValue<string>());
        foreach (var policy in new[] { "require", "prefer", "skip" })
        {
            var created = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = $"q-{policy}-1", quiesce = policy })).OkJsonAsync();
            Assert.Equal(policy, created["quiesce"]!.GetValue<string>());
        }
        var list = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, o => o!["name"]!.GetValue<string>() == "q-skip-1" && o["quiesce"]!.GetValue<string>() == "skip");

        foreach (var bad in new[] { "always", "Require", "" })
        {
            var problem = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "q-bad", quiesce = bad }))
                .AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("require, prefer, skip", problem["errors"]!["quiesce"]![0]!.GetValue<string>());
        }
        var after = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.DoesNotContain(after, o => o!["name"]!.GetValue<string>() == "q-bad");
    }

    [Fact]
    public async Task Offerings_Strategy_IsSetShownAndValidated()
    {
        var byDefault = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "s-default" })).OkJsonAsync();
        Assert.Equal("delta", byDefault["strategy"]!.GetValue<string>());
        var bitmap = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "s-bitmap", strategy = "bitmap" })).OkJsonAsync();
        Assert.Equal("bitmap", bitmap["strategy"]!.GetValue<string>());
        var list = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, o => o!["name"]!.GetValue<string>() == "s-bitmap" && o["strategy"]!.GetValue<string>() == "bitmap");

        var problem = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "s-bad", strategy = "cbt" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("delta, bitmap", problem["errors"]!["strategy"]![0]!.GetValue<string>());
        var after = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.DoesNotContain(after, o => o!["name"]!.GetValue<string>() == "s-bad");
    }

    [Fact]
    public async Task Settings_ListSetAndValidate()
    {
        var list = (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "schedules.misfire.policy" && s["value"]!.GetValue<string>() == "run-once");
        var set = await (await server.Admin().PutAsJsonAsync("/api/settings/schedules.default.keep", new { value = "7" })).OkJsonAsync();
        Assert.Equal("7", set["value"]!.GetValue<string>());
        list = (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "schedules.default.keep" && s["value"]!.GetValue<string>() == "7");
        await (await server.Admin().PutAsJsonAsync("/api/settings/schedules.default.keep", new { value = "many" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin().PutAsJsonAsync("/api/settings/no.such", new { value = "1" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settings_CompressionSettingsOfTheBackupDomain_ListedAndChangeable()
    {
        var list = (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "compression.max.concurrent.per.host" && s["default"]!.GetValue<string>() == "5");
        var set = await (await server.Admin().PutAsJsonAsync("/api/settings/compression.coroutines", new { value = "4" })).OkJsonAsync();
        Assert.Equal("4", set["value"]!.GetValue<string>());
        list = (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "compression.coroutines" && s["value"]!.GetValue<string>() == "4");
        var bad = await (await server.Admin().PutAsJsonAsync("/api/settings/compression.coroutines", new { value = "lots" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("compression.coroutines", bad.ToJsonString());
    }

    [Fact]
    public async Task Jobs_ListByType_AndRejectUnknownTypeStateOrBackupId()
    {
        Assert.IsType<JsonArray>(await (await server.Admin().GetAsync("/api/jobs?type=validation")).OkJsonAsync());
        Assert.Contains("type", (await (await server.Admin().GetAsync("/api/jobs?type=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Contains("state", (await (await server.Admin().GetAsync("/api/jobs?state=sleeping")).AssertProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Contains("backupId", (await (await server.Admin().GetAsync("/api/jobs?backupId=x")).AssertProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
    }

    [Fact]
    public async Task Jobs_ACompressionWhileCompressionIsDisabled_IsListedQueuedWithTheReason_ThenCancelled()
    {
        var backupId = Guid.NewGuid();
        var name = "jobs-" + backupId.ToString("N")[..6];
        await server.WithAsync<BackupDbContext>(async db =>
        {
            db.Hosts.Add(new HostRecord { Name = name, Uri = "local", StagingDir = Path.GetTempPath() });
            db.Repositories.Add(new RepositoryRecord { Name = name, Path = Path.GetTempPath() });
            db.Backups.Add(new BackupRecord { Id = backupId, VmName = "vm", HostName = name, RepositoryName = name, State = BackupState.BackedUp,
                CreatedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        await (await server.Admin().PutAsJsonAsync("/api/settings/compression.enabled", new { value = "false" })).OkJsonAsync();
        try
        {
            var started = await (await server.Admin().PostAsJsonAsync("/api/workflows/compress/run",
                new { input = new { backupId = backupId.ToString(), host = name } })).Content.ReadFromJsonAsync<JsonObject>();
            var id = started!["instanceId"]!.GetValue<string>();
            async Task<JsonObject?> Job(string query) => (await (await server.Admin().GetAsync($"/api/jobs?{query}")).OkJsonAsync()).AsArray()
                .Select(j => j!.AsObject()).SingleOrDefault(j => j["id"]!.GetValue<string>() == id);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonObject? job;
            while ((job = await Job($"type=compression&state=queued&backupId={backupId}&host={name}")) is null || job["reason"]?.GetValue<string>() != "disabled")
            {
                Assert.True(DateTime.UtcNow < deadline, $"not queued 'disabled': {job?.ToJsonString()}");
                await Task.Delay(100);
            }
            Assert.Equal(("compress", 0), (job["definitionId"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
            Assert.Null(await Job("state=running"));
            Assert.True((await server.Admin().PostAsync($"/api/instances/{id}/cancel", null)).IsSuccessStatusCode);
            while ((job = await Job("state=cancelled")) is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "not cancelled");
                await Task.Delay(100);
            }
        }
        finally
        {
            await (await server.Admin().PutAsJsonAsync("/api/settings/compression.enabled", new { value = "true" })).OkJsonAsync();
        }
    }
}
