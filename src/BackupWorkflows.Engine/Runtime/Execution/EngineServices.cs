using BackupWorkflows.Engine.Locks;
using BackupWorkflows.Engine.Persistence;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>The singletons every runner needs, bundled to keep constructors short.</summary>
internal sealed record EngineServices(
    EngineDatabase Database,
    WorkflowEngineOptions Options,
    TimeProvider Time,
    WorkflowEventHub Events,
    LockManager Locks,
    PlanCache Plans,
    IServiceProvider Services,
    ILoggerFactory LoggerFactory,
    EngineMetrics Metrics)
{
    public long NowMs => EngineDatabase.Ms(Time.GetUtcNow());
}
