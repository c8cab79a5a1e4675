using System.Text.Json.Serialization;
using BackupWorkflows.Backup.Hosting;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Metrics;
using BackupWorkflows.Server.OpenApi;
using BackupWorkflows.Server.Persistence;
using BackupWorkflows.Server.Schedules;
using BackupWorkflows.Server.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Hosting;

/// <summary>Everything the server registers, in one place so Program.cs stays a table of contents.</summary>
public static class ServerServices
{
    /// <summary>Reads the configuration and adds the engine, the databases, auth, schedules and the API's services.</summary>
    public static WebApplicationBuilder AddBackupWorkflowsServer(this WebApplicationBuilder builder, string[] args)
    {
        // --config FILE, BWF_DATA etc., then the command line again so that it wins over both.
        builder.AddServerConfigurationSources(args);

        var config = ServerConfiguration.From(builder.Configuration, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(config.DataDirectory);
        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = config.MaxRequestBodyBytes);
        builder.AddKeyRingInDataDirectory(config);

        // Runs in IHostedLifecycleService.StartingAsync, i.e. before the engine and Quartz start.
        services.AddHostedService<ServerInitializer>();

        services.AddWorkflowEngine(o =>
        {
            if (config.Database == DatabaseKind.Postgres) o.UsePostgres(config.ConnectionString);
            else o.UseSqlite(config.ConnectionString);
            o.NodeId = config.NodeId;
            o.LeaseDuration = config.LeaseDuration;
            o.AddActivitiesFrom(typeof(BackupDbContext).Assembly);
        });
        // The backup domain: its DbContext on the engine's database, its services, and the start-up
        // step that imports and publishes the shipped workflows (backup, restore, delete-backup, …).
        services.AddBackupDomain();
        services.AddDbContext<ServerDbContext>(db => UseDatabase(db, config));

        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // A body or parameter that cannot be read is thrown to ApiExceptionHandler, which names the field
        // (by default, outside Development, the framework answers a bare 400 that names nothing).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(j => j.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddApiDocument();
        services.AddApiKeyAuth();
        services.AddServerMetrics(config.NodeId);

        services.AddScoped<WorkflowLauncher>();
        services.AddScoped<EntryWorkflows>();
        services.AddScoped<Snapshots.SnapshotOperations>();
        services.AddScoped<ScheduleService>();
        services.AddSingleton<ScheduleFirings>();
        services.AddScheduling(config);
        services.AddHostedService<Triggers.CronTriggerSync>();
        return builder;
    }

    private static void UseDatabase(DbContextOptionsBuilder db, ServerConfiguration config)
    {
        if (config.Database == DatabaseKind.Postgres) db.UseNpgsql(config.ConnectionString);
        else db.UseSqlite(config.ConnectionString);
    }
}
