namespace BackupWorkflows.Backup.Chains;

/// <summary>What the caller asked for.</summary>
public enum RequestedBackup
{
    /// <summary>Let the chain rules decide between full and incremental.</summary>
    Auto,
    /// <summary>Force a full that starts a new chain.</summary>
    Full,
    /// <summary>A full that belongs to no chain and leaves the current chain untouched.</summary>
    Isolated,
}

/// <summary>The chain rules' verdict for the next backup of one VM.</summary>
/// <param name="Type">Full, incremental or isolated.</param>
/// <param name="Parent">For an incremental: the backup it builds on.</param>
/// <param name="ChainId">The chain the new backup joins; null when it starts one or is isolated.</param>
/// <param name="ChainPosition">Its position in the chain (1 = full); 0 for isolated.</param>
/// <param name="Reason">Why, in words the journal shows ("chain is full (3 of 3)").</param>
public sealed record ChainDecision(
    Model.BackupType Type, Guid? Parent, Guid? ChainId, int ChainPosition, string Reason);
