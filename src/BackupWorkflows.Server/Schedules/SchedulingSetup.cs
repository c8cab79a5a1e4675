using BackupWorkflows.Server.Hosting;
using Quartz;

namespace BackupWorkflows.Server.Schedules;

/// <summary>Quartz on a persistent store in the server's database; clustered on PostgreSQL.</summary>
public static class SchedulingSetup
{
    /// <summary>Quartz job group of backup schedules.</summary>
    public const string Group = "schedules";

    /// <summary>Adds the scheduler and its hosted service.</summary>
    /// <remarks>
    /// Clustering makes one node fire each trigger; <c>RequestRecovery</c> on the jobs makes a
    /// surviving node re-run a firing whose node died. The job starts workflows with an
    /// idempotency key made of the schedule, the VM and the scheduled fire time, so even a
    /// recovered or doubled firing starts each backup once.
    /// </remarks>
    public static IServiceCollection AddScheduling(this IServiceCollection services, ServerConfiguration config)
    {
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "bwf";
                o.InstanceId = config.NodeId;
            });
            q.UsePersistentStore(store =>
            {
                if (config.Database == DatabaseKind.Postgres)
                {
                    store.UsePostgres(config.ConnectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                    });
                }
                else
                {
                    store.UseSqlite(config.ConnectionString);
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }
}
