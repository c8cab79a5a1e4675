using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
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

    [Fact]
    public Task EnsureAsync_OnSqlite_MovesFormerSettingsIntoTheCatalog_AndResetsValuesItRefuses() =>
        MovesFormerSettingsAsync(new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={_file}").Options);

    [Fact]
    public Task EnsureAsync_OnPostgres_MovesFormerSettingsIntoTheCatalog_AndResetsValuesItRefuses() =>
        MovesFormerSettingsAsync(new DbContextOptionsBuilder<BackupDbContext>().UseNpgsql(postgres.NewDatabase()).Options);

    private static async Task MovesFormerSettingsAsync(DbContextOptions<BackupDbContext> options)
    {
        await using (var old = new BackupDbContext(options))
        {
            await BackupSchema.EnsureAsync(old);
            // As the previous version left them: the server's own table with camelCase names, and a
            // poll interval it accepted without an upper bound (which stopped every start of the host).
            await old.Database.ExecuteSqlRawAsync(
                "CREATE TABLE bwf_server_settings (\"Name\" varchar(100) NOT NULL PRIMARY KEY, \"Value\" text NOT NULL, \"UpdatedAt\" text NOT NULL)");
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO bwf_server_settings ("Name", "Value", "UpdatedAt") VALUES
                ('schedules.misfirePolicy', 'skip', '2026-11-01'), ('schedules.defaultKeep', '7', '2026-11-01'),
                ('validation.bootTimeoutSeconds', '120', '2026-11-01')
                """);
            old.Settings.AddRange(
                new SettingRecord { Name = "jobs.poll.interval.seconds", Value = "5000000" },
                new SettingRecord { Name = "compression.coroutines", Value = "4" },
                new SettingRecord { Name = "compression.max.retries", Value = " 3 " },
                new SettingRecord { Name = "compression.gone", Value = "1" });
            await old.SaveChangesAsync();
        }

        await using (var db = new BackupDbContext(options))
        {
            await BackupSchema.EnsureAsync(db);
            await BackupSchema.EnsureAsync(db);
            var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value);
            Assert.Equal(new Dictionary<string, string>
            {
                ["schedules.misfire.policy"] = "skip", ["schedules.default.keep"] = "7",
                ["validation.boot.timeout.seconds"] = "120", ["compression.coroutines"] = "4",
            }, stored);
            var settings = new BackupSettings(db, TimeProvider.System);
            Assert.Equal(TimeSpan.FromSeconds(5), await settings.GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds));
            Assert.Equal(TimeSpan.FromSeconds(120), await settings.GetDurationAsync(SettingCatalog.ValidationBootTimeoutSeconds));
            var isPostgres = db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal);
            var formerTable = isPostgres
                ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_name = 'bwf_server_settings'")
                : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'bwf_server_settings'");
            Assert.Equal(0, await formerTable.SingleAsync());
        }
    }
}
