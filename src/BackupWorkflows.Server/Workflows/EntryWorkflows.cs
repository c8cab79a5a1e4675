using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Server.Validation;

namespace BackupWorkflows.Server.Workflows;

/// <summary>
/// Which workflow an entry point starts, read from data: a VM's offering names its backup, restore and quick-restore
/// workflows (the shipped ones by default), a schedule may name its own. Nothing here is hard-wired but the defaults.
/// </summary>
public sealed class EntryWorkflows(IWorkflowDefinitionStore definitions, VmAssignments assignments, OfferingRegistry offerings)
{
    /// <summary>Adds a problem for <paramref name="field"/> when <paramref name="id"/> is given and names no workflow.</summary>
    /// <remarks>Only existence is checked: whether a version is published is checked when a start needs it (409).</remarks>
    public async Task CheckAsync(InputRules rules, string field, string? id, CancellationToken ct)
    {
        if (id is null) return;
        var before = rules.Count;
        rules.Name(field, id);
        if (rules.Count == before && await definitions.GetAsync(id, cancellationToken: ct) is null)
            rules.Add(field, $"no workflow '{id}' exists; import it first (bwf workflow import FILE).");
    }

    /// <summary>The backup workflow of the VM's offering; the shipped one when the VM is not assigned.</summary>
    public async Task<string> BackupAsync(string host, string vm, CancellationToken ct) =>
        (await OfferingOfAsync(host, vm, ct))?.BackupWorkflow ?? ShippedWorkflows.Backup;

    /// <summary>The backup workflow of an assignment already at hand (one read, of its offering).</summary>
    public async Task<string> BackupAsync(VmAssignment assignment, CancellationToken ct) =>
        (await offerings.OfferingAsync(assignment.OfferingName, ct)).BackupWorkflow ?? ShippedWorkflows.Backup;

    /// <summary>The restore (or quick-restore) workflow of the offering the backup's VM is assigned to now; the
    /// shipped one when it is no longer assigned.</summary>
    public async Task<string> RestoreAsync(BackupRecord backup, bool quick, CancellationToken ct)
    {
        var offering = await OfferingOfAsync(backup.HostName, backup.VmName, ct);
        return quick ? offering?.QuickRestoreWorkflow ?? ShippedWorkflows.QuickRestore : offering?.RestoreWorkflow ?? ShippedWorkflows.Restore;
    }

    private async Task<Offering?> OfferingOfAsync(string host, string vm, CancellationToken ct) =>
        await assignments.FindAssignmentAsync(host, vm, ct) is { } assignment
            ? await offerings.OfferingAsync(assignment.OfferingName, ct)
            : null;
}
