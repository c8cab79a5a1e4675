using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Locks;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Runtime.Execution;
using BackupWorkflows.Engine.Triggers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine;

/// <summary>Registration of the workflow engine.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine: activity registry, definition store, runtime, queries, events, durable
    /// locks, EF Core persistence (SQLite by default) and, unless disabled, the hosted service
    /// that resumes interrupted instances, fires timers and renews leases.
    /// </summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, Action<WorkflowEngineOptions>? configure = null)
    {
        var options = new WorkflowEngineOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(sp => new EngineMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<IDbContextFactory<EngineDbContext>>()));
        services.AddSingleton<IActivityRegistry>(new ActivityRegistry(options.ActivityAssemblies, options.ActivityTypes));
        services.AddPooledDbContextFactory<EngineDbContext>(db =>
        {
            if (options.Provider == EngineDatabaseProvider.Postgres)
                db.UseNpgsql(options.ConnectionString);
            else
                db.UseSqlite(options.ConnectionString).AddInterceptors(new SqliteConnectionSettings());
            db.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        });
        services.AddSingleton<EngineDatabase>();
        services.AddSingleton<TriggerIndex>();
        services.AddSingleton<IWorkflowTriggers>(sp => sp.GetRequiredService<TriggerIndex>());
        services.AddSingleton<IWorkflowDefinitionStore, DefinitionStore>();
        services.AddSingleton<WorkflowEventHub>();
        services.AddSingleton<IWorkflowEvents>(sp => sp.GetRequiredService<WorkflowEventHub>());
        services.AddSingleton<LockManager>();
        services.AddSingleton<PlanCache>();
        services.AddSingleton(sp => new EngineServices(
            sp.GetRequiredService<EngineDatabase>(), options, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<WorkflowEventHub>(), sp.GetRequiredService<LockManager>(), sp.GetRequiredService<PlanCache>(),
            sp, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<EngineMetrics>()));
        services.AddSingleton<InstanceExecutor>();
        services.AddSingleton<WorkflowRuntime>();
        services.AddSingleton<IWorkflowRuntime>(sp => sp.GetRequiredService<WorkflowRuntime>());
        services.AddSingleton<IWorkflowInstanceQueries, InstanceQueries>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<IDomainEvents>(sp => sp.GetRequiredService<EventDispatcher>());
        if (options.RunHostedService) services.AddHostedService<EngineHostedService>();
        return services;
    }
}
