using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Backup.Staging;
using BackupWorkflows.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackupWorkflows.Backup.Hosting;

/// <summary>Registration of the backup domain next to the workflow engine.</summary>
public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Adds the backup domain: its tables in the engine's database, host connections, the
    /// services activities use, and a start-up step that creates the tables and imports and
    /// publishes the shipped workflows. Call after <c>AddWorkflowEngine</c> with
    /// <c>o.AddActivitiesFrom(typeof(BackupServiceCollectionExtensions).Assembly)</c>.
    /// </summary>
    public static IServiceCollection AddBackupDomain(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<BackupDbContext>((sp, db) =>
        {
            var engine = sp.GetRequiredService<WorkflowEngineOptions>();
            if (engine.Provider == EngineDatabaseProvider.Postgres) db.UseNpgsql(engine.ConnectionString);
            else db.UseSqlite(engine.ConnectionString);
        });
        services.AddMetrics();
        services.AddSingleton<Metrics.BackupMetrics>();
        services.AddSingleton<HostConnections>();
        services.AddSingleton<PrimaryChains>();
        services.AddScoped<BackupCatalog>();
        services.AddScoped<HostRegistry>();
        services.AddScoped<RepositoryRegistry>();
        services.AddScoped<Offerings.OfferingRegistry>();
        services.AddScoped<Assignments.VmAssignments>();
        services.AddScoped<Schedules.ScheduleRegistry>();
        services.AddScoped<Retention.BackupRetention>();
        services.AddScoped<Vms.VmInventory>();
        services.AddScoped<BackupContextLoader>();
        services.AddScoped<StagingReservations>();
        services.AddScoped<RepositoryCapacity>();
        services.AddScoped<Bitmaps.BackupJobs>();
        services.AddScoped<Restores.RestoreSourceLoader>();
        services.AddScoped<ShippedWorkflowImporter>();
        services.AddHostedService<BackupStartup>();
        services.AddSingleton<BackupWorkflows.Engine.Events.IDomainEventSource, Events.BackupEvents>();
        // Issue 4: jobs (compression, validation), settings, quick restore.
        services.AddSingleton<Compression.CompressionCapability>();
        services.AddScoped<Settings.BackupSettings>();
        services.AddScoped<Jobs.JobQueue>();
        services.AddScoped<Jobs.JobQueries>();
        services.AddScoped<Jobs.CompressionLimit>();
        services.AddScoped<Validation.BootTest>();
        services.AddScoped<Validation.ValidationQueries>();
        services.AddScoped<Validation.ChecksumRecheckScheduler>();
        services.AddHostedService<Validation.ChecksumRecheckLoop>();
        services.AddSingleton<Jobs.InstanceRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.InstanceRetention>());
        // Issue 13: disk-only VM snapshots.
        services.AddScoped<Snapshots.SnapshotCatalog>();
        services.AddScoped<Snapshots.SnapshotFiles>();
        // Issue 14: file-level restore (browse sessions on the repository's host).
        services.AddSingleton<GuestFiles.BrowseSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<GuestFiles.BrowseSessions>());
        services.AddScoped<GuestFiles.BackupFiles>();
        return services;
    }
}
