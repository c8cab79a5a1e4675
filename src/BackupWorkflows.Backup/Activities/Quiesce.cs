using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>
/// Decides how the snapshot is made consistent: through the guest agent (the snapshot then
/// freezes and thaws the file systems itself), crash-consistent, or offline for a stopped VM.
/// Runs the optional pre-snapshot command in the guest.
/// </summary>
/// <remarks>
/// The freeze itself happens inside <c>snapshot-create-as --quiesce</c>, where libvirt thaws
/// even when the snapshot fails, so no crash of this process can leave a guest frozen between
/// two activities. <see cref="Thaw"/> still checks afterwards.
/// </remarks>
[Activity("Backup.Quiesce", Category = "Backup", DisplayName = "Quiesce",
    Description = "Checks the guest agent per the offering's policy and runs the pre-snapshot command.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class Quiesce(BackupContextLoader loader, BackupCatalog catalog) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Command run in the guest (sh -c) before the snapshot, e.g. to flush a database.", UIHint = "multiline")]
    public string? PreSnapshotCommand { get; set; }

    [Output(Description = "quiesce, crash-consistent or offline.")]
    public string Mode { get; set; } = "";

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var work = await loader.LoadAsync(BackupId, ct);
        var policy = work.Offering.Quiesce;
        if (!await work.IsActiveAsync(ct)) Mode = "offline";
        else
        {
            Mode = await QuiesceDecision.FreezeAsync(work.Host, work.Backup.VmName, policy, "backup", context.Journal, ct) ? "quiesce" : "crash-consistent";
            if (Mode == "quiesce" && !string.IsNullOrWhiteSpace(PreSnapshotCommand))
            {
                var result = await work.Host.AgentOf(work.Backup.VmName).ExecAsync("/bin/sh", ["-c", PreSnapshotCommand], cancellationToken: ct);
                if (result.ExitCode != 0)
                {
                    var message = $"pre-snapshot command exited {result.ExitCode}: {result.StandardError.Trim()}";
                    if (policy == QuiescePolicy.Require) throw new BackupInputException(message);
                    context.Journal(message + "; continuing crash-consistent");
                    Mode = "crash-consistent";
                }
            }
        }
        work.Backup.Quiesced = Mode == "quiesce";
        await catalog.SaveAsync(ct);
        context.Journal($"consistency: {Mode}");
        return ActivityResult.Done;
    }
}
