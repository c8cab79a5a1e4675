using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Schedules;

/// <summary>Schedules on the real Quartz store with seconds-level cron expressions.</summary>
public sealed class SchedulesApiTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string BackupStandIn = """
        {
          "id": "backup", "name": "backup (test stand-in)",
          "inputs": [{"name":"host","type":"string"},{"name":"vm","type":"string"},{"name":"type","type":"string"}],
          "activities": [ { "id": "start", "type": "Flow.Start" } ],
          "connections": []
        }
        """;

    private async Task AssignAsync(string vm)
    {
        await server.WithAsync<BackupDbContext>(async db =>
        {
            if (!db.Offerings.Any(o => o.Name == "nightly")) db.Offerings.Add(new Offering { Name = "nightly" });
            db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = "nightly", RepositoryName = "default" });
            await db.SaveChangesAsync();
        });
    }

    private async Task<JsonArray> ScheduledRunsAsync(string scheduleId)
    {
        var all = (await (await server.Admin().GetAsync("/api/instances?definitionId=backup&take=500")).OkJsonAsync()).AsArray();
        return [.. all.Where(i => i!["correlationId"]?.GetValue<string>().StartsWith($"schedule:{scheduleId}:") == true).Select(i => i!.DeepClone())];
    }

    [Fact]
    public async Task SecondsCron_StartsOneBackupPerFiring_UntilDeleted()
    {
        await AssignAsync("cron-vm");
        await server.PublishAsync(BackupStandIn);
        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new { vm = "cron-vm", cron = "*/1 * * * * ?", timeZone = "Europe/Berlin" })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        Assert.NotNull(schedule["nextFireAt"]);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonArray runs;
        do
        {
            await Task.Delay(250);
            runs = await ScheduledRunsAsync(id);
        } while (runs.Count < 3 && DateTime.UtcNow < deadline);
        Assert.True(runs.Count >= 3, $"only {runs.Count} scheduled runs");
        var keys = runs.Select(r => r!["correlationId"]!.GetValue<string>()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count()); // one instance per firing
        Assert.All(keys, k => Assert.StartsWith($"schedule:{id}:local/cron-vm:", k));

        var listed = (await (await server.Admin().GetAsync("/api/schedules")).OkJsonAsync()).AsArray();
        Assert.Contains(listed, s => s!["id"]!.GetValue<string>() == id && s["timeZone"]!.GetValue<string>() == "Europe/Berlin");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        // No firing begins after the delete: its Quartz job and trigger are gone (and a firing under way was waited for,
        // see Delete_DuringAFiring_ReturnsOnlyAfterTheFiringStartedEveryBackup).
        await AssertUnscheduledAsync(id);
        await (await client.DeleteAsync($"/api/schedules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await (await server.Admin().GetAsync("/api/schedules")).OkJsonAsync()).AsArray(), s => s!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Delete_DuringAFiring_ReturnsOnlyAfterTheFiringStartedEveryBackup()
    {
        // Many VMs make one firing take a while, so the delete below lands while a firing is starting backups.
        var vms = Enumerable.Range(1, 60).Select(i => $"wide-{i}").ToList();
        await server.WithAsync<BackupDbContext>(async db =>
        {
            db.Offerings.Add(new Offering { Name = "wide" });
            foreach (var vm in vms)
                db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = "wide", RepositoryName = "default" });
            await db.SaveChangesAsync();
        });
        await server.PublishAsync(BackupStandIn);
        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new { offering = "wide", cron = "*/2 * * * * ?" })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ScheduledRunsAsync(id)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the schedule never fired");
            await Task.Delay(20);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{id}")).StatusCode);

        // Once the delete has returned, every firing that began has started the backup of every VM, and none begins later.
        var byFiring = (await ScheduledRunsAsync(id)).GroupBy(r => r!["correlationId"]!.GetValue<string>().Split(':')[^1]).ToList();
        Assert.NotEmpty(byFiring);
        Assert.All(byFiring, firing => Assert.True(firing.Count() == vms.Count, $"firing {firing.Key} had started {firing.Count()} of {vms.Count} backups when the delete returned"));
        await AssertUnscheduledAsync(id);
    }

    private Task AssertUnscheduledAsync(string id) =>
        server.WithAsync<Quartz.ISchedulerFactory>(async factory =>
        {
            var scheduler = await factory.GetScheduler();
            Assert.Null(await scheduler.GetJobDetail(new Quartz.JobKey(id, "schedules")));
            Assert.Null(await scheduler.GetTrigger(new Quartz.TriggerKey(id, "schedules")));
        });

    [Fact]
    public async Task Keep_DeletesTheOldestCompletedBackupsChainSafely()
    {
        await AssignAsync("keep-vm");
        await server.PublishAsync(BackupStandIn);
        var repository = Path.Combine(server.DataDirectory, "repository");
        var ids = new List<Guid>();
        await server.WithAsync<BackupDbContext>(async db =>
        {
            for (var i = 0; i < 3; i++)
            {
                var id = Guid.NewGuid();
                var image = RepositoryLayout.VolumeImage(repository, "keep-vm", id, "vda");
                Directory.CreateDirectory(Path.GetDirectoryName(image)!);
                await File.WriteAllTextAsync(image, "x");
                db.Backups.Add(new BackupRecord
                {
                    Id = id, VmName = "keep-vm", HostName = "local", RepositoryName = "default", Type = BackupType.Isolated,
                    State = BackupState.BackedUp, CreatedAt = DateTimeOffset.UtcNow.AddDays(i - 3),
                    Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/nowhere", ImagePath = image, Checksum = "blake3:" + new string('a', 64), StoredSize = 1 }],
                });
                ids.Add(id);
            }
            await db.SaveChangesAsync();
        });

        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new { vm = "keep-vm", cron = "*/1 * * * * ?", keep = 1 })).OkJsonAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] states;
        do
        {
            await Task.Delay(300);
            states = await Task.WhenAll(ids.Select(async id =>
                (await (await server.Admin().GetAsync($"/api/backups/{id}")).OkJsonAsync())["state"]!.GetValue<string>()));
        } while (!(states[0] == "Expunged" && states[1] == "Expunged") && DateTime.UtcNow < deadline);
        await client.DeleteAsync($"/api/schedules/{schedule["id"]}");
        Assert.Equal(["Expunged", "Expunged", "BackedUp"], states);
    }

    [Fact]
    public async Task OfferingSchedule_BacksUpEveryVmOfTheOffering()
    {
        await server.WithAsync<BackupDbContext>(async db =>
        {
            db.Offerings.Add(new Offering { Name = "fleet" });
            foreach (var vm in new[] { "fleet-1", "fleet-2" })
                db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = "fleet", RepositoryName = "default" });
            await db.SaveChangesAsync();
        });
        await server.PublishAsync(BackupStandIn);
        var client = await server.ClientInRoleAsync("operator");
        var schedule = await (await client.PostJsonAsync("/api/schedules", new { offering = "fleet", cron = "*/1 * * * * ?" })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonArray runs;
        do
        {
            await Task.Delay(250);
            runs = await ScheduledRunsAsync(id);
        } while (!(runs.Any(r => r!["correlationId"]!.GetValue<string>().Contains("/fleet-1:"))
                   && runs.Any(r => r!["correlationId"]!.GetValue<string>().Contains("/fleet-2:"))) && DateTime.UtcNow < deadline);
        await client.DeleteAsync($"/api/schedules/{id}");
        Assert.Contains(runs, r => r!["correlationId"]!.GetValue<string>().Contains("/fleet-1:"));
        Assert.Contains(runs, r => r!["correlationId"]!.GetValue<string>().Contains("/fleet-2:"));
    }

    [Theory]
    [InlineData("run-once", Quartz.CronTriggerMisfireInstruction.FireAndProceed)]
    [InlineData("skip", Quartz.CronTriggerMisfireInstruction.DoNothing)]
    public async Task MisfirePolicySetting_IsTheTriggersMisfireInstruction(string policy, Quartz.CronTriggerMisfireInstruction expected)
    {
        await AssignAsync($"misfire-{policy}");
        await (await server.Admin().PutAsJsonAsync("/api/settings/schedules.misfire.policy", new { value = policy })).OkJsonAsync();
        var schedule = await (await server.Admin().PostJsonAsync("/api/schedules", new { vm = $"misfire-{policy}", cron = "daily" })).OkJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        await server.WithAsync<Quartz.ISchedulerFactory>(async factory =>
        {
            var scheduler = await factory.GetScheduler();
            var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey(id, "schedules"));
            Assert.Equal((int)expected, trigger!.MisfireInstructionCode);
        });
        await server.Admin().DeleteAsync($"/api/schedules/{id}");
    }

    [Fact]
    public async Task BadInput_Is400_UnassignedVmIs409()
    {
        var client = await server.ClientInRoleAsync("operator");
        var bad = await (await client.PostJsonAsync("/api/schedules", new { vm = "x", cron = "every day" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["cron"]);
        await (await client.PostJsonAsync("/api/schedules", new { vm = "x", offering = "y", cron = "daily" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/schedules", new { cron = "daily" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/schedules", new { vm = "x", cron = "daily", timeZone = "Mars/Olympus" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/schedules", new { vm = "x", cron = "daily", keep = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/schedules", new { vm = "not-assigned", cron = "daily" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync("/api/schedules", new { offering = "no-such-offering", cron = "daily" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OfferingWithASchedule_IsNotDeleted_UntilTheScheduleIs()
    {
        await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "held" })).OkJsonAsync();
        var schedule = await (await server.Admin().PostJsonAsync("/api/schedules", new { offering = "held", cron = "daily" })).OkJsonAsync();
        var held = await (await server.Admin().DeleteAsync("/api/offerings/held")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("has schedules", held["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync($"/api/schedules/{schedule["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/offerings/held")).StatusCode);
    }

    [Fact]
    public async Task CronThatNeverFires_Is400NamingCron_NotA500()
    {
        await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "never-fires" })).OkJsonAsync();
        var bad = await (await server.Admin().PostJsonAsync("/api/schedules", new { offering = "never-fires", cron = "0 0 0 30 2 ?" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("never fires", bad["errors"]!["cron"]![0]!.GetValue<string>());
        Assert.DoesNotContain((await (await server.Admin().GetAsync("/api/schedules")).OkJsonAsync()).AsArray(),
            s => s!["offering"]?.GetValue<string>() == "never-fires");
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/offerings/never-fires")).StatusCode);
    }
}
