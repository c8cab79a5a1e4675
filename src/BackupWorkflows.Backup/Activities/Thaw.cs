using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Makes sure the guest is thawed and running, and runs the post-snapshot command. Wired on
/// every path after a snapshot, failures included.
/// </summary>
/// <remarks>When the file systems cannot be thawed, or the agent stopped answering after they were
/// frozen for this backup, it fails with <see cref="ThawFailedException"/>, whose message says loudly
/// that the guest may still be frozen; its <c>Failed</c> path cleans the backup up.</remarks>
[Activity("Backup.Thaw", Category = "Backup", DisplayName = "Thaw",
    Description = "Thaws the guest's file systems if frozen, resumes it if paused, runs the post-snapshot command.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 4, BaseDelaySeconds = 2)]
public sealed class Thaw(BackupContextLoader loader) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Command run in the guest (sh -c) after the snapshot.", UIHint = "multiline")]
    public string? PostSnapshotCommand { get; set; }

    [Output(Description = "What was found: thawed, was-frozen, resumed, not-running or agent-unavailable.")]
    public string State { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var vm = work.Backup.VmName;
        var virsh = work.Host.Virsh;
        var state = await virsh.GetStateAsync(vm, ct);
        if (state == DomainState.Paused)
        {
            await virsh.RunAsync(["resume", vm], cancellationToken: ct);
            context.Journal("the VM was paused: resumed");
            State = "resumed";
        }
        else if (state is not (DomainState.Running or DomainState.Blocked))
        {
            State = "not-running";
            return ActivityResult.Done;
        }
        var agent = work.Host.AgentOf(vm);
        // Thaw is retried here, not by the engine: a frozen guest must not wait for a backoff.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                if (!await agent.TryPingAsync(ct)) { State = "agent-unavailable"; break; }
                if (await agent.GetFreezeStatusAsync(ct) == FreezeStatus.Frozen)
                {
                    await agent.ThawAsync(ct);
                    context.Journal("file systems were frozen: thawed");
                    State = "was-frozen";
                }
                else if (State == "") State = "thawed";
                break;
            }
            catch (Exception e) when (e is not (OperationCanceledException or ThawFailedException))
            {
                context.Journal($"thaw attempt {attempt} failed: {e.Message.Split('\n')[0]}");
                if (attempt == 5) throw new ThawFailedException(vm, work.HostRecord.Name, $"thawing failed 5 times, last: {e.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), context.TimeProvider, ct);
            }
        }
        if (State == "agent-unavailable" && work.Backup.Quiesced)
            throw new ThawFailedException(vm, work.HostRecord.Name, "its guest agent stopped answering after the file systems were frozen for this backup");
        if (!string.IsNullOrWhiteSpace(PostSnapshotCommand) && State != "agent-unavailable")
        {
            var result = await agent.ExecAsync("/bin/sh", ["-c", PostSnapshotCommand], cancellationToken: ct);
            context.Journal($"post-snapshot command exited {result.ExitCode}");
        }
        return ActivityResult.Done;
    }
}

/// <summary>The guest's file systems could not be thawed (or their thaw could not be confirmed).
/// Never retried by the engine: <see cref="Thaw"/> has already tried, without backoff.</summary>
public sealed class ThawFailedException(string vm, string host, string cause)
    : NonRetryableActivityException(
        $"THAW FAILED: VM '{vm}' on host '{host}' may still have frozen file systems, so every write in the guest blocks ({cause}). " +
        $"Thaw it now (virsh domfsthaw {vm}, or restart its guest agent and thaw); the backup is not kept.");
