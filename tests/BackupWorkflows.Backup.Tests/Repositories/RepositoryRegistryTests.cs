using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Repositories;

/// <summary>The repository registry on real SQLite and PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RepositoryRegistryTests(PostgresCluster postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task List_SumsStoredBytesOfBackupsNotExpunged(string provider)
    {
        await using var database = await DomainDatabase.CreateAsync(provider, postgres);
        await using var db = database.Open();
        var registry = new RepositoryRegistry(db, TimeProvider.System);
        var repo = await registry.AddAsync("r1", "/srv/backups///", 1000);
        await registry.AddAsync("r0", "/srv/other", null);
        Assert.Equal(("/srv/backups", 1000L), (repo.Path, repo.CapacityBytes));
        await database.SeedAsync(d => d.Backups.AddRange(
            Backup("r1", BackupState.BackedUp, 100), Backup("r1", BackupState.Creating, 20), Backup("r1", BackupState.Expunged, 5000)));

        var listed = await registry.ListAsync();
        Assert.Equal(["r0", "r1"], listed.Select(r => r.Repository.Name));
        Assert.Equal([0L, 120L], listed.Select(r => r.UsedBytes));
    }

    [Fact]
    public async Task Remove_RefusedWhileAssignedOrHoldingBackups_DuplicateAddIsConflict()
    {
        await using var database = await DomainDatabase.CreateAsync("sqlite", postgres);
        await using var db = database.Open();
        var registry = new RepositoryRegistry(db, TimeProvider.System);
        await registry.AddAsync("r1", "/srv/backups", null);
        Assert.Contains("'r1' exists", (await Assert.ThrowsAsync<DomainConflictException>(() => registry.AddAsync("r1", "/x", null))).Message);
        await database.SeedAsync(d =>
        {
            d.Assignments.Add(new VmAssignment { VmName = "vm", HostName = "h1", OfferingName = "o", RepositoryName = "r1" });
            d.Backups.Add(Backup("r1", BackupState.BackedUp, 1));
        });

        Assert.Contains("used by VM assignments", (await Assert.ThrowsAsync<DomainConflictException>(() => registry.RemoveAsync("r1"))).Message);
        await database.SeedAsync(d => d.Assignments.RemoveRange(d.Assignments));
        Assert.Contains("still holds backups", (await Assert.ThrowsAsync<DomainConflictException>(() => registry.RemoveAsync("r1"))).Message);
        await database.SeedAsync(d => { foreach (var b in d.Backups) b.State = BackupState.Expunged; });
        await registry.RemoveAsync("r1");
        await Assert.ThrowsAsync<DomainNotFoundException>(() => registry.RemoveAsync("r1"));
        await Assert.ThrowsAsync<BackupInputException>(() => registry.RepositoryAsync("r1"));
    }

    private static BackupRecord Backup(string repository, BackupState state, long storedSize) => new()
    {
        Id = Guid.NewGuid(), VmName = "vm", HostName = "h1", RepositoryName = repository, State = state, StoredSize = storedSize,
    };
}
