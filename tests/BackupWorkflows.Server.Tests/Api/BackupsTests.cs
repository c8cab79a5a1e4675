using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Api;

public sealed class BackupsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private string Repository => Path.Combine(server.DataDirectory, "repository");

    /// <summary>Seeds a chain (full + incremental) of VM <paramref name="vm"/> with real files in the default repository.</summary>
    private async Task<(BackupRecord Full, BackupRecord Incremental)> SeedChainAsync(string vm)
    {
        var now = DateTimeOffset.UtcNow;
        BackupRecord Make(BackupType type, Guid? parent, Guid chain, int position, DateTimeOffset at)
        {
            var id = parent is null ? chain : Guid.NewGuid();
            var image = RepositoryLayout.VolumeImage(Repository, vm, id, "vda");
            Directory.CreateDirectory(Path.GetDirectoryName(image)!);
            File.WriteAllText(image, "image");
            return new BackupRecord
            {
                Id = id, VmName = vm, HostName = "local", RepositoryName = "default", Type = type, ParentId = parent, ChainId = chain,
                ChainPosition = position, State = BackupState.BackedUp, CreatedAt = at, CompletedAt = at, VirtualSize = 1 << 20, StoredSize = 5,
                Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/nowhere/vda.qcow2",
                    ImagePath = image, VirtualSize = 1 << 20, StoredSize = 5, Checksum = "blake3:" + new string('a', 64) }],
            };
        }
        var chainId = Guid.NewGuid();
        var full = Make(BackupType.Full, null, chainId, 1, now.AddHours(-2));
        var inc = Make(BackupType.Incremental, full.Id, chainId, 2, now.AddHours(-1));
        await server.WithAsync<BackupDbContext>(async db =>
        {
            db.Backups.AddRange(full, inc);
            await db.SaveChangesAsync();
        });
        return (full, inc);
    }

    private async Task AssignAsync(string vm)
    {
        await server.WithAsync<BackupDbContext>(async db =>
        {
            if (!db.Offerings.Any(o => o.Name == "std")) db.Offerings.Add(new Offering { Name = "std" });
            db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = "std", RepositoryName = "default" });
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task ListAndShow_ReturnTheContractShape()
    {
        var (full, inc) = await SeedChainAsync("web-1");
        var list = (await (await server.Admin().GetAsync("/api/backups?vm=web-1")).OkJsonAsync()).AsArray();
        Assert.Equal([inc.Id.ToString(), full.Id.ToString()], list.Select(b => b!["id"]!.GetValue<string>()));
        var shown = await (await server.Admin().GetAsync($"/api/backups/{inc.Id}")).OkJsonAsync();
        Assert.Equal("incremental", shown["type"]!.GetValue<string>());
        Assert.Equal("BackedUp", shown["state"]!.GetValue<string>());
        Assert.Equal(full.Id.ToString(), shown["parentId"]!.GetValue<string>());
        Assert.Equal("vda", shown["volumes"]![0]!["target"]!.GetValue<string>());
        await (await server.Admin().GetAsync($"/api/backups/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await server.Admin().GetAsync("/api/backups/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound);
        var repos = (await (await server.Admin().GetAsync("/api/repositories")).OkJsonAsync()).AsArray();
        Assert.True(repos.Single(r => r!["name"]!.GetValue<string>() == "default")!["usedBytes"]!.GetValue<long>() >= 10);
    }

    [Fact]
    public async Task Delete_IsChainSafe_FullIsKeptAsRemovedUntilItsChildGoes()
    {
        var (full, inc) = await SeedChainAsync("db-1");
        var operatorClient = await server.ClientInRoleAsync("operator");

        var first = await (await operatorClient.DeleteAsync($"/api/backups/{full.Id}")).OkJsonAsync();
        Assert.Equal("Finished", (await server.WaitForEndAsync(first["instanceId"]!.GetValue<string>()))["status"]!.GetValue<string>());
        var afterFirst = await (await server.Admin().GetAsync($"/api/backups/{full.Id}")).OkJsonAsync();
        Assert.Equal("Removed", afterFirst["state"]!.GetValue<string>());
        Assert.True(File.Exists(full.Volumes[0].ImagePath), "the incremental still needs the full's image");

        var second = await (await operatorClient.DeleteAsync($"/api/backups/{inc.Id}")).OkJsonAsync();
        Assert.Equal("Finished", (await server.WaitForEndAsync(second["instanceId"]!.GetValue<string>()))["status"]!.GetValue<string>());
        foreach (var b in new[] { full, inc })
        {
            var state = await (await server.Admin().GetAsync($"/api/backups/{b.Id}")).OkJsonAsync();
            Assert.Equal("Expunged", state["state"]!.GetValue<string>());
            Assert.False(File.Exists(b.Volumes[0].ImagePath));
        }
        await (await operatorClient.DeleteAsync($"/api/backups/{inc.Id}")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Create_ForUnassignedVm_Is409_AndBadInputIs400()
    {
        var problem = await (await server.Admin().PostJsonAsync("/api/backups", new { vm = "nobody" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not assigned", problem["detail"]!.GetValue<string>());
        await (await server.Admin().PostJsonAsync("/api/backups", new { vm = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin().PostJsonAsync("/api/backups", new { vm = "x", full = true, isolated = true })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_StartsTheBackupWorkflowWithHostVmAndType()
    {
        await AssignAsync("app-1");
        await server.PublishAsync(ServerFactory.TrivialWorkflow("backup").Replace("\"activities\"",
            "\"inputs\": [{\"name\":\"host\",\"type\":\"string\"},{\"name\":\"vm\",\"type\":\"string\"},{\"name\":\"type\",\"type\":\"string\"}], \"activities\""));
        var started = await (await (await server.ClientInRoleAsync("operator")).PostJsonAsync("/api/backups", new { vm = "app-1", isolated = true })).OkJsonAsync();
        var instance = await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>());
        Assert.Equal("backup", instance["definitionId"]!.GetValue<string>());
        Assert.Equal("local", instance["input"]!["host"]!.GetValue<string>());
        Assert.Equal("app-1", instance["input"]!["vm"]!.GetValue<string>());
        Assert.Equal("isolated", instance["input"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restore_WithIdempotencyKey_StartsOneInstance_AndTheKeyWithAnotherBodyIs422()
    {
        var (full, _) = await SeedChainAsync("file-1");
        await server.PublishAsync(ServerFactory.TrivialWorkflow("restore", delaySeconds: 0.2).Replace("\"activities\"",
            "\"inputs\": [{\"name\":\"backupId\",\"type\":\"string\",\"required\":true},{\"name\":\"asNewVm\",\"type\":\"string\"}], \"activities\""));
        var client = await server.ClientInRoleAsync("operator");
        async Task<HttpResponseMessage> PostAsync(string asNewVm = "file-1-copy")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/restores") { Content = JsonContent.Create(new { backupId = full.Id, asNewVm }) };
            request.Headers.Add("Idempotency-Key", "retry-me-7");
            return await client.SendAsync(request);
        }
        var first = await PostAsync();
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var second = await PostAsync();
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var id = (await first.OkJsonAsync())["instanceId"]!.GetValue<string>();
        Assert.Equal(id, (await second.OkJsonAsync())["instanceId"]!.GetValue<string>());
        // The same key with another body is refused, naming the header and the first instance, and starts nothing.
        var reused = await (await PostAsync("other-copy")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(id, reused["errors"]!["Idempotency-Key"]![0]!.GetValue<string>());
        var restores = (await (await server.Admin().GetAsync("/api/instances?definitionId=restore")).OkJsonAsync()).AsArray();
        Assert.Single(restores, r => r!["id"]!.GetValue<string>() == id);
        var instance = await server.WaitForEndAsync(id);
        Assert.Equal("file-1-copy", instance["input"]!["asNewVm"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restore_QuickOnAnotherHost_GivesTheWorkflowItsTargetHost_AndHostWithoutQuickIs400()
    {
        var (full, _) = await SeedChainAsync("move-1");
        // The shipped quick-restore workflow's inputs, with a stand-in body that only finishes.
        await server.PublishAsync(ServerFactory.TrivialWorkflow("quick-restore").Replace("\"activities\"",
            "\"inputs\": [{\"name\":\"backupId\",\"type\":\"string\",\"required\":true},{\"name\":\"targetHost\",\"type\":\"string\",\"default\":\"\"}], \"activities\""));
        var client = await server.ClientInRoleAsync("operator");

        var started = await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, quick = true, host = "kvm-2" })).OkJsonAsync();

        var instance = await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>());
        Assert.Equal("kvm-2", instance["input"]!["targetHost"]!.GetValue<string>());
        var problem = await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, host = "kvm-2" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("quick", problem["errors"]!["host"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Restore_QuickWithoutPublishedWorkflow_Is409_AndBadInputIs400()
    {
        var (full, _) = await SeedChainAsync("mail-1");
        var client = await server.ClientInRoleAsync("operator");
        // The shipped quick-restore workflow is published at start; without it a quick restore is refused.
        var delete = await server.Admin().DeleteAsync("/api/workflows/quick-restore");
        Assert.True(delete.IsSuccessStatusCode, $"{delete.StatusCode}");
        var problem = await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, quick = true })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("quick-restore", problem["detail"]!.GetValue<string>());
        await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, volume = "vda" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, asNewVm = "-bad" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var blank = await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, asNewVm = "   " })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not blank", blank["errors"]!["asNewVm"]![0]!.GetValue<string>());
        await (await client.PostJsonAsync("/api/restores", new { backupId = full.Id, quick = true, asNewVm = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/restores", new { backupId = Guid.NewGuid() })).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
