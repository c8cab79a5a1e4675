using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Makes sure the guest is thawed and running, and runs the post-snapshot command. Wired on
/// every path after a snapshot, failures included; it never fails the workflow itself.
/// </summary>
[Activity("Backup.Thaw", Category = "Backup", DisplayName = "Thaw",
    Description = "Thaws the guest's file systems if frozen, resumes it if paused, runs the post-snapshot command.")]
[Retry(MaxAttempts = 4, BaseDelaySeconds = 2)]
public sealed class Thaw(BackupWorkLoader loader) : Activity
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
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                context.Journal($"thaw attempt {attempt} failed: {e.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), context.TimeProvider, ct);
            }
        }
        if (!string.IsNullOrWhiteSpace(PostSnapshotCommand) && State != "agent-unavailable")
        {
            var result = await agent.ExecAsync("/bin/sh", ["-c", PostSnapshotCommand], cancellationToken: ct);
            context.Journal($"post-snapshot command exited {result.ExitCode}");
        }
        return ActivityResult.Done;
    }
}
