using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Tests.Persistence;

/// <summary>Tables made by an earlier version are upgraded in place, on a real SQLite file and a real PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupSchemaTests(PostgresCluster postgres) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bwf-schema-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public Task EnsureAsync_OnSqlite_RenamesTheSha256Column_KeepingValues() =>
        RenamesTheSha256ColumnAsync(new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={_file}").Options);

    [Fact]
    public Task EnsureAsync_OnPostgres_RenamesTheSha256Column_KeepingValues() =>
        RenamesTheSha256ColumnAsync(new DbContextOptionsBuilder<BackupDbContext>().UseNpgsql(postgres.NewDatabase()).Options);

    private static async Task RenamesTheSha256ColumnAsync(DbContextOptions<BackupDbContext> options)
    {
        var checksum = new string('a', 64);
        var backupId = Guid.NewGuid();
        await using (var old = new BackupDbContext(options))
        {
            await BackupSchema.EnsureAsync(old);
            old.Backups.Add(new BackupRecord
            {
                Id = backupId, VmName = "vm", HostName = "h1", RepositoryName = "r1", State = BackupState.BackedUp,
                Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = backupId, Target = "vda", PrimaryBasePath = "/p",
                    ImagePath = "/r/vda.qcow2", SourceFormat = "qcow2", Checksum = checksum }],
            });
            await old.SaveChangesAsync();
            // The table as the first version made it: checksums in "Sha256".
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE bwf_backup_volumes RENAME COLUMN \"Checksum\" TO \"Sha256\"");
        }

        await using (var db = new BackupDbContext(options))
        {
            await BackupSchema.EnsureAsync(db);
            await BackupSchema.EnsureAsync(db);
            var volume = await db.Volumes.SingleAsync(v => v.BackupId == backupId);
            Assert.Equal(checksum, volume.Checksum);
            Assert.Equal(checksum, Kvm.Hosts.FileChecksum.Parse(volume.Checksum!).Hex);
        }
    }
}
