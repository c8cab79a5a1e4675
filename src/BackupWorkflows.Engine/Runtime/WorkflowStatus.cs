namespace BackupWorkflows.Engine.Runtime;

/// <summary>Status of a workflow instance.</summary>
public enum WorkflowStatus
{
    /// <summary>Executing (or about to be resumed by a node).</summary>
    Running,
    /// <summary>Waiting for a lock or semaphore slot.</summary>
    Waiting,
    /// <summary>Sleeping on a durable timer (Delay); resumed when it is due.</summary>
    Suspended,
    /// <summary>Ended normally.</summary>
    Finished,
    /// <summary>Ended by an error no outcome handled; can be retried from the failed activity.</summary>
    Faulted,
    /// <summary>Cancelled by a user.</summary>
    Cancelled,
}

/// <summary>Helpers on <see cref="WorkflowStatus"/>.</summary>
public static class WorkflowStatusExtensions
{
    /// <summary>True for Finished and Cancelled, and Faulted (which only a retry leaves).</summary>
    public static bool IsEnded(this WorkflowStatus status) =>
        status is WorkflowStatus.Finished or WorkflowStatus.Faulted or WorkflowStatus.Cancelled;
}
