using System.Net;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Server.Tests.Workflows;

/// <summary>Entry points start the workflows that offerings and schedules name (the shipped ones by default), on the real server.</summary>
public sealed class EntryWorkflowsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    /// <summary>A published stand-in with the given inputs whose instances just finish.</summary>
    private Task PublishStandInAsync(string id, params string[] inputs) =>
        server.PublishAsync(ServerFactory.TrivialWorkflow(id).Replace("\"activities\"",
            $"\"inputs\": [{string.Join(",", inputs.Select(i => $"{{\"name\":\"{i}\",\"type\":\"string\"}}"))}], \"activities\""));

    private async Task AssignAsync(string vm, string offering) => await server.WithAsync<BackupDbContext>(async db =>
    {
        db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = offering, RepositoryName = "default" });
        await db.SaveChangesAsync();
    });

    private async Task<Guid> SeedBackupAsync(string vm)
    {
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        await server.WithAsync<BackupDbContext>(async db =>
        {
            db.Backups.Add(new BackupRecord
            {
                Id = id, VmName = vm, HostName = "local", RepositoryName = "default", Type = BackupType.Full, ChainId = id, ChainPosition = 1,
                State = BackupState.BackedUp, CreatedAt = at, CompletedAt = at, VirtualSize = 1 << 20, StoredSize = 5,
                Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/nowhere/vda.qcow2",
                    ImagePath = "/nowhere/backup/vda.qcow2", VirtualSize = 1 << 20, StoredSize = 5 }],
            });
            await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>The first instance of <paramref name="workflow"/> a firing of the schedule started.</summary>
    private Task<JsonNode> FirstRunAsync(string workflow, string scheduleId) => Eventually.UntilAsync(async () =>
        (await (await server.Admin().GetAsync($"/api/instances?definitionId={workflow}&take=50")).OkJsonAsync()).AsArray()
            .FirstOrDefault(i => i!["correlationId"]?.GetValue<string>().StartsWith($"schedule:{scheduleId}:") == true),
        $"a firing of schedule {scheduleId} starting {workflow}");

    [Fact]
    public async Task AnOfferingsNamedWorkflows_AreWhatItsBackupsRestoresAndQuickRestoresStart()
    {
        await PublishStandInAsync("site-backup", "host", "vm", "type");
        await PublishStandInAsync("site-restore", "backupId");
        await PublishStandInAsync("site-quick", "backupId", "targetHost");
        var admin = server.Admin();
        var offering = await (await admin.PostJsonAsync("/api/offerings", new
        {
            name = "site", backupWorkflow = "site-backup", restoreWorkflow = "site-restore", quickRestoreWorkflow = "site-quick",
        })).OkJsonAsync();
        Assert.Equal("site-backup", offering["backupWorkflow"]!.GetValue<string>());
        Assert.Equal("site-quick", offering["quickRestoreWorkflow"]!.GetValue<string>());
        await AssignAsync("site-vm", "site");
        var operatorClient = await server.ClientInRoleAsync("operator");

        var backup = await server.WaitForEndAsync((await (await operatorClient.PostJsonAsync("/api/backups", new { vm = "site-vm" })).OkJsonAsync())["instanceId"]!.GetValue<string>());
        Assert.Equal(("site-backup", "Finished"), (backup["definitionId"]!.GetValue<string>(), backup["status"]!.GetValue<string>()));
        Assert.Equal("site-vm", backup["input"]!["vm"]!.GetValue<string>());
        Assert.Equal("auto", backup["input"]!["type"]!.GetValue<string>());

        var backupId = await SeedBackupAsync("site-vm");
        var restore = await server.WaitForEndAsync((await (await operatorClient.PostJsonAsync("/api/restores", new { backupId })).OkJsonAsync())["instanceId"]!.GetValue<string>());
        Assert.Equal("site-restore", restore["definitionId"]!.GetValue<string>());
        var quick = await server.WaitForEndAsync((await (await operatorClient.PostJsonAsync("/api/restores", new { backupId, quick = true, host = "local" })).OkJsonAsync())["instanceId"]!.GetValue<string>());
        Assert.Equal("site-quick", quick["definitionId"]!.GetValue<string>());
        Assert.Equal("local", quick["input"]!["targetHost"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOfferingWithoutWorkflows_StartsTheShippedOnes()
    {
        var offering = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "plain" })).OkJsonAsync();
        Assert.Equal(("backup", "restore", "quick-restore"), (offering["backupWorkflow"]!.GetValue<string>(),
            offering["restoreWorkflow"]!.GetValue<string>(), offering["quickRestoreWorkflow"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnOfferingNamingAMissingWorkflow_Is400NamingEachField_AndIsNotCreated()
    {
        var problem = await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "ghostly", backupWorkflow = "no-such-flow", restoreWorkflow = "-bad" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no workflow 'no-such-flow'", problem["errors"]!["backupWorkflow"]![0]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["restoreWorkflow"]);
        var offerings = (await (await server.Admin().GetAsync("/api/offerings")).OkJsonAsync()).AsArray();
        Assert.DoesNotContain(offerings, o => o!["name"]!.GetValue<string>() == "ghostly");
    }

    [Fact]
    public async Task AScheduleNamingAWorkflowAndInput_StartsThatWorkflowPerVm_WithTheInputUnderHostAndVm()
    {
        await PublishStandInAsync("weekly-full", "host", "vm", "type", "note");
        await server.Admin().PostJsonAsync("/api/offerings", new { name = "sched-site" });
        await AssignAsync("sched-vm", "sched-site");
        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new
        {
            vm = "sched-vm", cron = "*/1 * * * * ?", workflow = "weekly-full", input = new { type = "full", note = "from the schedule" },
        })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        Assert.Equal("weekly-full", schedule["workflow"]!.GetValue<string>());
        try
        {
            var run = await FirstRunAsync("weekly-full", id);
            var instance = await server.WaitForEndAsync(run["id"]!.GetValue<string>());
            Assert.Equal("Finished", instance["status"]!.GetValue<string>());
            var input = instance["input"]!.AsObject();
            Assert.Equal(("local", "sched-vm", "full", "from the schedule"), (input["host"]!.GetValue<string>(), input["vm"]!.GetValue<string>(),
                input["type"]!.GetValue<string>(), input["note"]!.GetValue<string>()));
            var listed = (await (await client.GetAsync("/api/schedules")).OkJsonAsync()).AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;
            Assert.Equal("from the schedule", listed["input"]!["note"]!.GetValue<string>());
        }
        finally
        {
            await client.DeleteAsync($"/api/schedules/{id}");
        }
    }

    [Fact]
    public async Task AScheduleWithoutAWorkflow_StartsTheBackupWorkflowOfTheVmsOffering()
    {
        await PublishStandInAsync("offering-backup", "host", "vm", "type");
        await server.Admin().PostJsonAsync("/api/offerings", new { name = "named-backup", backupWorkflow = "offering-backup" });
        await AssignAsync("named-vm", "named-backup");
        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new { vm = "named-vm", cron = "*/1 * * * * ?" })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        Assert.Null(schedule["workflow"]);
        try
        {
            var run = await FirstRunAsync("offering-backup", id);
            Assert.Equal("named-vm", (await server.WaitForEndAsync(run["id"]!.GetValue<string>()))["input"]!["vm"]!.GetValue<string>());
        }
        finally
        {
            await client.DeleteAsync($"/api/schedules/{id}");
        }
    }

    [Fact]
    public async Task AScheduleNamingAMissingWorkflow_OrGivingVmInItsInput_Is400_AndNothingIsScheduled()
    {
        await server.Admin().PostJsonAsync("/api/offerings", new { name = "refusals" });
        await AssignAsync("refused-vm", "refusals");
        var client = await server.ClientInRoleAsync("operator");
        var missing = await (await client.PostJsonAsync("/api/schedules", new { vm = "refused-vm", cron = "daily", workflow = "nowhere" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no workflow 'nowhere'", missing["errors"]!["workflow"]![0]!.GetValue<string>());
        var vmInInput = await (await client.PostJsonAsync("/api/schedules", new { vm = "refused-vm", cron = "daily", input = new { vm = "other" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'vm' is given by each firing", vmInInput["errors"]!["input"]![0]!.GetValue<string>());
        var schedules = (await (await client.GetAsync("/api/schedules")).OkJsonAsync()).AsArray();
        Assert.DoesNotContain(schedules, s => s!["vm"]?.GetValue<string>() == "refused-vm");
    }
}
