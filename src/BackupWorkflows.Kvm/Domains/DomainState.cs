namespace BackupWorkflows.Kvm.Domains;

/// <summary>A domain's state as <c>virsh domstate</c> reports it.</summary>
public enum DomainState
{
    /// <summary>A state this code does not know.</summary>
    Unknown,

    /// <summary>No state (<c>no state</c>).</summary>
    NoState,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Blocked on a resource (still running).</summary>
    Blocked,

    /// <summary>Paused (also: suspended by libvirt during some jobs).</summary>
    Paused,

    /// <summary>Shutting down.</summary>
    InShutdown,

    /// <summary>Shut off.</summary>
    ShutOff,

    /// <summary>Crashed.</summary>
    Crashed,

    /// <summary>Suspended by guest power management.</summary>
    PmSuspended,
}

/// <summary>A domain with its UUID and state.</summary>
/// <param name="Name">Domain name.</param>
/// <param name="Uuid">Domain UUID.</param>
/// <param name="State">Current state.</param>
public sealed record DomainSummary(string Name, string Uuid, DomainState State);

internal static class DomainStates
{
    /// <summary>Reads the first line of <c>virsh domstate</c> (stable English words in the C locale).</summary>
    public static DomainState Parse(string text) => text.Trim().Split('\n')[0].Trim() switch
    {
        "running" => DomainState.Running,
        "idle" or "blocked" => DomainState.Blocked,
        "paused" => DomainState.Paused,
        "in shutdown" => DomainState.InShutdown,
        "shut off" => DomainState.ShutOff,
        "crashed" => DomainState.Crashed,
        "pmsuspended" => DomainState.PmSuspended,
        "no state" => DomainState.NoState,
        _ => DomainState.Unknown,
    };
}
