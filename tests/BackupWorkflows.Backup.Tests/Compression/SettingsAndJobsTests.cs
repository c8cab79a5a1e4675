using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Validation;
using BackupWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Tests.Compression;

/// <summary>The job table's queries and the checksum re-check schedule, on a real SQLite file.</summary>
[Trait("Category", "Unit")]
public sealed class SettingsAndJobsTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bwf-jobs-{Guid.NewGuid():N}.db");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero));
    private BackupDbContext _db = null!;

    public async Task InitializeAsync()
    {
        _db = new BackupDbContext(new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={_file}").Options);
        await SchemaInitializer.EnsureTablesAsync(_db);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Jobs_AreListedByBackupHostTypeAndState_AndQueuedOnce()
    {
        var queue = new JobQueue(_db, _clock);
        var b1 = Guid.NewGuid();
        var compress = await queue.EnqueueAsync(b1, "h1", JobType.Compression);
        Assert.Equal(compress.Id, (await queue.EnqueueAsync(b1, "h1", JobType.Compression)).Id);
        var validate = await queue.EnqueueAsync(b1, "h2", JobType.Validation);
        compress.State = JobState.Starting;
        await _db.SaveChangesAsync();

        var q = new JobQueries(_db);
        Assert.Equal(2, (await q.ListAsync(new JobFilter { BackupId = b1 })).Count);
        Assert.Equal(validate.Id, Assert.Single(await q.ListAsync(new JobFilter { Host = "h2" })).Id);
        Assert.Equal(compress.Id, Assert.Single(await q.ListAsync(new JobFilter { Executing = true })).Id);
        Assert.Equal(validate.Id, Assert.Single(await q.ListAsync(new JobFilter { Scheduled = true })).Id);
        Assert.Equal(compress.Id, Assert.Single(await q.ListAsync(new JobFilter { State = JobState.Starting, Type = JobType.Compression })).Id);
        Assert.Empty(await q.ListAsync(new JobFilter { State = JobState.Finalizing }));
        await queue.MarkFinalizingAsync(compress.Id);
        Assert.Equal(compress.Id, Assert.Single(await q.ListAsync(new JobFilter { State = JobState.Finalizing, Id = compress.Id })).Id);
    }

    [Fact]
    public async Task ChecksumRecheck_QueuesBackupsNotVerifiedWithinTheInterval_Once()
    {
        var old = Backup(_clock.GetUtcNow().AddHours(-25));
        var fresh = Backup(_clock.GetUtcNow().AddHours(-1));
        _db.Backups.AddRange(old, fresh);
        await _db.SaveChangesAsync();
        var settings = new BackupSettings(_db, _clock);
        var scheduler = new ChecksumRecheckScheduler(_db, settings, new JobQueue(_db, _clock), _clock);

        Assert.Equal(1, await scheduler.QueueDueAsync(CancellationToken.None));
        var job = Assert.Single(await new JobQueries(_db).ListAsync());
        Assert.Equal((old.Id, JobType.Validation, "checksums"), (job.BackupId, job.Type, job.Levels));
        Assert.Equal(0, await scheduler.QueueDueAsync(CancellationToken.None)); // already queued

        _clock.Advance(TimeSpan.FromHours(24));
        await settings.SetAsync(SettingCatalog.ValidationRecheckIntervalHours, "0");
        Assert.Equal(0, await scheduler.QueueDueAsync(CancellationToken.None)); // turned off
        await settings.SetAsync(SettingCatalog.ValidationRecheckIntervalHours, "12");
        Assert.Equal(1, await scheduler.QueueDueAsync(CancellationToken.None)); // the fresh one is due now
    }

    private static BackupRecord Backup(DateTimeOffset completed) => new()
    {
        Id = Guid.NewGuid(), VmName = "vm", HostName = "h1", RepositoryName = "r1", State = BackupState.BackedUp,
        CreatedAt = completed, CompletedAt = completed,
    };

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
