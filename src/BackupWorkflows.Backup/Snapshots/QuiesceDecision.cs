using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>
/// Whether a running VM's snapshot freezes its file systems through the guest agent, under a quiesce policy: the one
/// decision of the backup's <see cref="Activities.Quiesce"/> and of a user's <see cref="TakeSnapshot"/>.
/// </summary>
public static class QuiesceDecision
{
    /// <summary>True to freeze; false for crash-consistent (policy Skip, or Prefer with a silent agent), journalled.</summary>
    /// <param name="host">The VM's host.</param>
    /// <param name="vm">A running VM.</param>
    /// <param name="policy">The offering's policy.</param>
    /// <param name="what">What is taken, for the refusal: <c>backup</c> or <c>snapshot</c>.</param>
    /// <param name="journal">Receives why it goes crash-consistent.</param>
    /// <param name="ct">Cancels the agent's ping.</param>
    /// <exception cref="BackupInputException">Policy Require and the guest agent does not answer.</exception>
    public static async Task<bool> FreezeAsync(
        HostSession host, string vm, QuiescePolicy policy, string what, Action<string> journal, CancellationToken ct)
    {
        if (policy == QuiescePolicy.Skip)
        {
            journal("the offering's quiesce policy is Skip: continuing crash-consistent");
            return false;
        }

        if (await host.AgentOf(vm).TryPingAsync(ct)) return true;
        if (policy == QuiescePolicy.Require)
            throw new BackupInputException($"the guest agent of VM '{vm}' does not answer and the offering requires a quiesced {what}");
        journal("guest agent does not answer: continuing crash-consistent");
        return false;
    }
}
