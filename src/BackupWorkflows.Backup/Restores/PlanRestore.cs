using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Engine.Activities;

namespace BackupWorkflows.Backup.Restores;

/// <summary>Checks a restore request and picks its kind: the whole VM, one volume, or a new VM.</summary>
[Activity("Backup.PlanRestore", Category = "Restore", DisplayName = "Plan restore",
    Description = "Checks the backup and the request; takes Vm, Volume or NewVm.")]
[Outcomes("Vm", "Volume", "NewVm", "Failed")]
[Retry(MaxAttempts = 2, BaseDelaySeconds = 2, NonRetryable = [typeof(BackupInputException)])]
public sealed class PlanRestore(RestoreSourceLoader loader) : Activity
{
    [Input(Description = "Backup to restore.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Restore only this volume (disk target) as a new disk.")]
    public string? Volume { get; set; }

    [Input(Description = "With Volume: the VM to attach it to.")]
    public string? ToVm { get; set; }

    [Input(Description = "Restore as a new VM with this name.")]
    public string? AsNewVm { get; set; }

    [Output(Description = "Vm, Volume or NewVm.")]
    public string Kind { get; set; } = "";

    [Output(Description = "Whether the backup's VM was running when the restore was planned.")]
    public bool VmRunning { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var source = await loader.LoadAsync(BackupId, null, context.CancellationToken);
        var hasVolume = !string.IsNullOrWhiteSpace(Volume);
        var hasNewVm = !string.IsNullOrWhiteSpace(AsNewVm);
        if (hasVolume && hasNewVm) throw new BackupInputException("give either a volume or a new VM name, not both");
        if (!hasVolume && !string.IsNullOrWhiteSpace(ToVm)) throw new BackupInputException("toVm needs a volume");
        if (hasVolume) source.Volume(Volume!);
        Kind = hasVolume ? "Volume" : hasNewVm ? "NewVm" : "Vm";
        var vm = source.Backup.VmName;
        VmRunning = await source.Host.Virsh.ExistsAsync(vm, context.CancellationToken)
            && await PrimaryChains.IsActiveAsync(source.Host, vm, context.CancellationToken);
        context.Journal($"restore of backup {source.Backup.Id} ({source.Backup.Type}, {source.Backup.CreatedAt:u}): {Kind}");
        return ActivityResult.Outcome(Kind);
    }
}
