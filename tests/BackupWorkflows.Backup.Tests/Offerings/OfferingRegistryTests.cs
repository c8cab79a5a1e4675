using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Schedules;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Offerings;

/// <summary>The offering registry on a real SQLite database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OfferingRegistryTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Delete_RefusedWhileAssignedOrScheduled_ThenDeletes()
    {
        await using var database = await DomainDatabase.CreateAsync("sqlite", postgres);
        await using var db = database.Open();
        var registry = new OfferingRegistry(db, TimeProvider.System);
        var created = await registry.CreateAsync(new Offering { Name = "gold", ChainSize = 3, Quiesce = QuiescePolicy.Require });
        Assert.NotEqual(default, created.CreatedAt);
        await Assert.ThrowsAsync<DomainConflictException>(() => registry.CreateAsync(new Offering { Name = "gold" }));
        await database.SeedAsync(d => d.Assignments.Add(
            new VmAssignment { VmName = "vm", HostName = "h1", OfferingName = "gold", RepositoryName = "r1" }));

        Assert.Contains("assigned to VMs", (await Assert.ThrowsAsync<DomainConflictException>(() => registry.DeleteAsync("gold"))).Message);
        await database.SeedAsync(d => d.Assignments.RemoveRange(d.Assignments));
        await database.SeedAsync(d => d.Schedules.Add(
            new ScheduleRecord { Id = "s-gold", OfferingName = "gold", Cron = "daily", QuartzCron = "0 0 0 * * ?", TimeZone = "UTC" }));
        Assert.Contains("has schedules", (await Assert.ThrowsAsync<DomainConflictException>(() => registry.DeleteAsync("gold"))).Message);
        await database.SeedAsync(d => d.Schedules.RemoveRange(d.Schedules));
        await registry.DeleteAsync("gold");
        Assert.Empty(await registry.ListAsync());
        await Assert.ThrowsAsync<DomainNotFoundException>(() => registry.DeleteAsync("gold"));
        await Assert.ThrowsAsync<BackupInputException>(() => registry.OfferingAsync("gold"));
    }
}
