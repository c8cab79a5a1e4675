using BackupWorkflows.Backup.Model;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Persistence;

/// <summary>The backup domain's tables, in the engine's database (SQLite or PostgreSQL).</summary>
/// <remarks>Table names carry a <c>bwf_</c> prefix so they sit beside the engine's and Quartz's.</remarks>
public sealed class BackupDbContext(DbContextOptions<BackupDbContext> options) : DbContext(options)
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<RepositoryRecord> Repositories => Set<RepositoryRecord>();
    public DbSet<Offering> Offerings => Set<Offering>();
    public DbSet<VmAssignment> Assignments => Set<VmAssignment>();
    public DbSet<BackupRecord> Backups => Set<BackupRecord>();
    public DbSet<BackupVolume> Volumes => Set<BackupVolume>();
    public DbSet<Staging.StagingReservation> StagingReservations => Set<Staging.StagingReservation>();
    public DbSet<Settings.SettingRecord> Settings => Set<Settings.SettingRecord>();
    public DbSet<Validation.ValidationRecord> Validations => Set<Validation.ValidationRecord>();
    public DbSet<Snapshots.VmSnapshot> Snapshots => Set<Snapshots.VmSnapshot>();
    public DbSet<Snapshots.SnapshotDisk> SnapshotDisks => Set<Snapshots.SnapshotDisk>();
    public DbSet<Schedules.ScheduleRecord> Schedules => Set<Schedules.ScheduleRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BackupDbContext).Assembly);
}
