using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Agent;

/// <summary>
/// The guest agent cannot be used: the domain is not running, has no agent channel, or the agent
/// does not answer. A quiesce step reads this as "fall back to a crash-consistent snapshot when the
/// policy allows", unlike other failures.
/// </summary>
public sealed class GuestAgentUnavailableException : Exception
{
    /// <summary>Substrings of libvirt's messages that mean the agent is unavailable (C locale).</summary>
    private static readonly string[] Markers =
    [
        "Guest agent is not responding",
        "guest agent is not configured",
        "Guest agent not available",
        "domain is not running",
    ];

    /// <summary>Wraps the virsh failure <paramref name="inner"/> for <paramref name="domain"/>.</summary>
    public GuestAgentUnavailableException(string domain, HostCommandException inner)
        : base($"Guest agent of '{domain}' on '{inner?.Host}' is unavailable: {inner?.StandardErrorTail}", inner)
    {
        Domain = domain;
    }

    /// <summary>The domain whose agent is unavailable.</summary>
    public string Domain { get; }

    /// <summary>Whether a failed virsh command (an agent command, or <c>snapshot-create-as --quiesce</c>)
    /// failed because the agent is unavailable.</summary>
    public static bool Matches(HostCommandException error) =>
        error is { Failure: HostCommandFailure.NonZeroExit } &&
        Markers.Any(m => error.StandardErrorTail.Contains(m, StringComparison.OrdinalIgnoreCase));
}
