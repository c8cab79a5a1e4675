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

    /// <summary>Substrings of libvirt's messages that mean the agent may answer later: it is not connected
    /// yet (guest booting, agent restarting), silent for now, or its channel closed during the command.</summary>
    private static readonly string[] NotYetMarkers =
    [
        "Guest agent is not responding",
        "Guest agent not available",
        "End of file from agent socket",
    ];

    /// <summary>Wraps the virsh failure <paramref name="inner"/> for <paramref name="domain"/>.</summary>
    public GuestAgentUnavailableException(string domain, HostCommandException inner)
        : base($"Guest agent of '{domain}' on '{inner?.Host}' is unavailable: {inner?.StandardErrorTail}", inner)
    {
        Domain = domain;
    }

    /// <summary>The agent of <paramref name="domain"/> was asked again and again for <paramref name="waited"/>
    /// and never answered; <paramref name="inner"/> is the last failure.</summary>
    public GuestAgentUnavailableException(string domain, HostCommandException inner, TimeSpan waited)
        : base($"Guest agent of '{domain}' on '{inner?.Host}' did not answer within {waited}: {inner?.StandardErrorTail}", inner)
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

    /// <summary>Whether a failed agent command may succeed when asked again: the agent is not connected
    /// yet, does not answer for now, or its channel closed mid-command (unlike a domain without an
    /// agent channel or one that is not running).</summary>
    public static bool IsNotAnsweringYet(HostCommandException error) =>
        error is { Failure: HostCommandFailure.NonZeroExit } &&
        NotYetMarkers.Any(m => error.StandardErrorTail.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the agent's channel closed while libvirt waited for its answer (QEMU closes it
    /// when the guest powers off, which may reach libvirt before the guest's shutdown event).</summary>
    internal static bool ChannelClosed(HostCommandException error) =>
        error.StandardErrorTail.Contains("End of file from agent socket", StringComparison.OrdinalIgnoreCase);
}
