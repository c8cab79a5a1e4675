using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Staging;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Hosts;

/// <summary>The host registry on real SQLite and PostgreSQL (the staged-bytes sum is a provider-translated GROUP BY).</summary>
[Collection(PostgresCollection.Name)]
public sealed class HostRegistryTests(PostgresCluster postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Add_FillsDefaults_ListShowsStagedBytes_DuplicateIsConflict(string provider)
    {
        await using var database = await DomainDatabase.CreateAsync(provider, postgres);
        await using var db = database.Open();
        var registry = new HostRegistry(db, TimeProvider.System);

        var remote = await registry.AddAsync(new NewHost("h2", "ssh://bwf@example.test:2222"), "/data/staging");
        var local = await registry.AddAsync(new NewHost("h1", "LOCAL", MaxConcurrentBackups: 4), "/data/staging");
        Assert.Equal((HostRegistry.DefaultRemoteStagingDir, 2, 5, 0L),
            (remote.StagingDir, remote.MaxConcurrentBackups, remote.MaxConcurrentCompressions, remote.StagingCapacityBytes));
        Assert.Equal(("local", "/data/staging", 4), (local.Uri, local.StagingDir, local.MaxConcurrentBackups));
        var ex = await Assert.ThrowsAsync<DomainConflictException>(() => registry.AddAsync(new NewHost("h2", "local"), "/x"));
        Assert.Contains("'h2' exists", ex.Message);

        await database.SeedAsync(d => d.StagingReservations.AddRange(
            new StagingReservation { HostName = "h2", BackupId = Guid.NewGuid(), Bytes = 300 },
            new StagingReservation { HostName = "h2", BackupId = Guid.NewGuid(), Bytes = 200 }));
        var listed = await registry.ListAsync();
        Assert.Equal(["h1", "h2"], listed.Select(h => h.Host.Name));
        Assert.Equal([0L, 500L], listed.Select(h => h.StagedBytes));
    }

    [Fact]
    public async Task Remove_RefusesWhileVmsAreAssigned_ThenRemoves()
    {
        await using var database = await DomainDatabase.CreateAsync("sqlite", postgres);
        await database.SeedAsync(d =>
        {
            d.Hosts.Add(new HostRecord { Name = "h1", Uri = "local", StagingDir = "/s" });
            d.Assignments.Add(new VmAssignment { VmName = "vm-a", HostName = "h1", OfferingName = "o", RepositoryName = "r" });
        });
        await using var db = database.Open();
        var registry = new HostRegistry(db, TimeProvider.System);

        var conflict = await Assert.ThrowsAsync<DomainConflictException>(() => registry.RemoveAsync("h1"));
        Assert.Contains("(vm-a)", conflict.Message);
        await Assert.ThrowsAsync<DomainNotFoundException>(() => registry.RemoveAsync("nope"));

        await database.SeedAsync(d => d.Assignments.RemoveRange(d.Assignments));
        await registry.RemoveAsync("h1");
        Assert.Empty(await registry.ListAsync());
        var missing = await Assert.ThrowsAsync<BackupInputException>(() => registry.HostAsync("h1"));
        Assert.Contains("host 'h1' is not registered", missing.Message);
    }
}
