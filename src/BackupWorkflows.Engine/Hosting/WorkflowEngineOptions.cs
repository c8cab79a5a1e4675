using System.Reflection;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Engine;

/// <summary>Which database the engine uses.</summary>
public enum EngineDatabaseProvider
{
    /// <summary>One SQLite file (the default, single node).</summary>
    Sqlite,
    /// <summary>PostgreSQL (several nodes may share it).</summary>
    Postgres,
}

/// <summary>Configuration of the workflow engine (see <c>AddWorkflowEngine</c>).</summary>
public sealed class WorkflowEngineOptions
{
    internal List<Assembly> ActivityAssemblies { get; } = [typeof(WorkflowEngineOptions).Assembly];
    internal List<Type> ActivityTypes { get; } = [];

    /// <summary>Database provider; set by <see cref="UseSqlite"/> or <see cref="UsePostgres"/>.</summary>
    public EngineDatabaseProvider Provider { get; private set; } = EngineDatabaseProvider.Sqlite;

    /// <summary>Connection string; default a <c>workflows.db</c> file in the working directory.</summary>
    public string ConnectionString { get; private set; } = "Data Source=workflows.db";

    /// <summary>
    /// Id of this node. Instances are owned by a node through a lease; after a restart a node
    /// resumes the instances it owned, so keep it stable per machine. Default: the machine name.
    /// </summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>How long a node's ownership of an instance lasts without renewal (default 30 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the hosted service looks for due timers and orphaned instances (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a waiter re-checks a lock held by another node (default 500 ms; local releases wake at once).</summary>
    public TimeSpan LockPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Minimum time between persisted progress updates of one activity (default 1 s).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Instances executing at once on this node (default 64); more wait in order.</summary>
    public int MaxConcurrentInstances { get; set; } = 64;

    /// <summary>Policy of activities without <see cref="RetryAttribute"/> (default: one attempt).</summary>
    public RetryPolicy DefaultRetry { get; set; } = new() { MaxAttempts = 1 };

    /// <summary>Register the hosted service that resumes instances and fires timers (default true).</summary>
    public bool RunHostedService { get; set; } = true;

    /// <summary>Uses one SQLite file, e.g. <c>Data Source=/var/lib/bwf/workflows.db</c>.</summary>
    public WorkflowEngineOptions UseSqlite(string connectionString)
    {
        Provider = EngineDatabaseProvider.Sqlite;
        ConnectionString = connectionString;
        return this;
    }

    /// <summary>Uses PostgreSQL (Npgsql connection string); the database must exist or be creatable.</summary>
    public WorkflowEngineOptions UsePostgres(string connectionString)
    {
        Provider = EngineDatabaseProvider.Postgres;
        ConnectionString = connectionString;
        return this;
    }

    /// <summary>Registers every non-abstract <see cref="Activity"/> with <see cref="ActivityAttribute"/> in the assembly.</summary>
    public WorkflowEngineOptions AddActivitiesFrom(Assembly assembly)
    {
        if (!ActivityAssemblies.Contains(assembly)) ActivityAssemblies.Add(assembly);
        return this;
    }

    /// <summary>Registers one activity class.</summary>
    public WorkflowEngineOptions AddActivity<T>() where T : Activity
    {
        ActivityTypes.Add(typeof(T));
        return this;
    }
}
