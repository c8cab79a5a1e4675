namespace BackupWorkflows.Backup.Model;

/// <summary>
/// Ids of the shipped workflows that the product's entry points start unless an offering or a schedule names
/// another (a designer's copy, say, that notifies or validates on its own terms).
/// </summary>
public static class ShippedWorkflows
{
    /// <summary>Backs a VM up; input <c>{ host, vm, type: auto|full|isolated }</c>.</summary>
    public const string Backup = "backup";

    /// <summary>Restores a backup; input <c>{ backupId, volume?, toVm?, asNewVm? }</c>.</summary>
    public const string Restore = "restore";

    /// <summary>Runs a VM from its backup at once and moves the disks back in the background; input <c>{ backupId, targetHost? }</c>.</summary>
    public const string QuickRestore = "quick-restore";
}
