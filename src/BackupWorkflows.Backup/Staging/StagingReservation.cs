namespace BackupWorkflows.Backup.Staging;

/// <summary>Space held in a host's staging directory for one full backup while it is staged.</summary>
/// <remarks>Reservations are rows, not in-memory counters, so two nodes (or a restarted
/// process) see the same staging budget.</remarks>
public sealed class StagingReservation
{
    public Guid Id { get; set; }

    public required string HostName { get; set; }

    /// <summary>The backup the space is held for.</summary>
    public Guid BackupId { get; set; }

    public long Bytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
