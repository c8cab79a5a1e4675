using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Activities;

/// <summary>Marks the backup BackedUp (only once every volume is stored and checksummed); a full
/// starts a fresh chain, so whatever ended the previous one is cleared.</summary>
[Activity("Backup.CompleteBackup", Category = "Backup", DisplayName = "Complete backup",
    Description = "Registers the backup as BackedUp with its sizes.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 3, BaseDelaySeconds = 2)]
public sealed class CompleteBackup(BackupCatalog catalog, VmAssignments assignments) : Activity
{
    [Input(Description = "Id of the backup being taken.", Required = true)]
    public string BackupId { get; set; } = "";

    [Output(Description = "Bytes stored in the repository.")]
    public long StoredSize { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var id = BackupIds.Parse(BackupId);
        await catalog.MarkBackedUpAsync(id, ct);
        var backup = await catalog.GetAsync(id, ct);
        if (backup.Type == BackupType.Full
            && await assignments.FindAssignmentAsync(backup.HostName, backup.VmName, ct) is { ChainEndedReason: not null } assignment)
        {
            assignment.ChainEndedReason = null;
            await assignments.SaveAsync(ct);
        }
        StoredSize = backup.StoredSize;
        context.Journal($"{backup.Type} backup {backup.Id}: {backup.StoredSize} bytes stored");
        return ActivityResult.Done;
    }
}
