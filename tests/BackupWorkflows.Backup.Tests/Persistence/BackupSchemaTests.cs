using BackupWorkflows.Backup.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Tests.Persistence;

/// <summary>Tables made by an earlier version are upgraded in place, on a real SQLite file.</summary>
public sealed class BackupSchemaTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bwf-schema-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task EnsureAsync_RenamesTheSha256Column_KeepingValues_AndIsIdempotent()
    {
        var volumeId = Guid.NewGuid();
        await using (var old = Open())
        {
            await BackupSchema.EnsureAsync(old);
            // The table as the first version made it: checksums in "Sha256".
            await old.Database.OpenConnectionAsync();
            await old.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF"); // a volume without its backup row
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE bwf_backup_volumes RENAME COLUMN \"Checksum\" TO \"Sha256\"");
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO bwf_backup_volumes ("Id", "BackupId", "Target", "PrimaryBasePath", "ImagePath", "SourceFormat", "VirtualSize", "StoredSize", "Sha256")
                VALUES ({volumeId.ToString().ToUpperInvariant()}, {Guid.NewGuid().ToString().ToUpperInvariant()}, 'vda', '/p', '/r', 'qcow2', 1, 1, {new string('a', 64)})
                """);
        }

        await using (var db = Open())
        {
            await BackupSchema.EnsureAsync(db);
            await BackupSchema.EnsureAsync(db);
            var volume = await db.Volumes.SingleAsync(v => v.Id == volumeId);
            Assert.Equal(new string('a', 64), volume.Checksum);
            Assert.Equal(new string('a', 64), Kvm.Hosts.FileChecksum.Parse(volume.Checksum!).Hex);
        }
    }

    private BackupDbContext Open() =>
        new(new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={_file}").Options);
}
