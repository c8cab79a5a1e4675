using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Retention;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Retention;

/// <summary>Keep-N retention on real SQLite and PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupRetentionTests(PostgresCluster postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task BeyondKeep_OnlyBackedUpOfThatVm_OldestFirst(string provider)
    {
        await using var database = await DomainDatabase.CreateAsync(provider, postgres);
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        await database.SeedAsync(d =>
        {
            // Inserted out of order so the answer cannot come from insertion order.
            foreach (var i in new[] { 3, 0, 4, 1, 2 }) d.Backups.Add(Backup(ids[i], "vm", BackupState.BackedUp, t0.AddDays(i)));
            d.Backups.Add(Backup(Guid.NewGuid(), "vm", BackupState.Removed, t0.AddDays(-3)));
            d.Backups.Add(Backup(Guid.NewGuid(), "vm", BackupState.Error, t0.AddDays(-2)));
            d.Backups.Add(Backup(Guid.NewGuid(), "other", BackupState.BackedUp, t0.AddDays(-1)));
        });
        await using var db = database.Open();
        var retention = new BackupRetention(db);

        Assert.Equal([ids[0], ids[1], ids[2]], await retention.BeyondKeepAsync("h1", "vm", 2));
        Assert.Empty(await retention.BeyondKeepAsync("h1", "vm", 5));
        Assert.Empty(await retention.BeyondKeepAsync("h2", "vm", 1));
    }

    private static BackupRecord Backup(Guid id, string vm, BackupState state, DateTimeOffset createdAt) => new()
    {
        Id = id, VmName = vm, HostName = "h1", RepositoryName = "r1", State = state, CreatedAt = createdAt,
    };
}
