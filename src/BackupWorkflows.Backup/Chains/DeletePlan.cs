using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Chains;

/// <summary>What deleting one backup does to its chain.</summary>
/// <param name="MarkRemoved">Backups to mark Removed: children still need their files.</param>
/// <param name="Expunge">Backups whose files go now, children first.</param>
/// <param name="MergeDeltaOnPrimary">True when the deleted backup was the newest of the VM's
/// live chain: its delta on primary is committed into the base and the chain ends.</param>
public sealed record DeletePlan(
    IReadOnlyList<Guid> MarkRemoved, IReadOnlyList<Guid> Expunge, bool MergeDeltaOnPrimary);
