namespace BackupWorkflows.Server.Persistence;

/// <summary>An API key: only its SHA-256 is stored; the key itself is shown once when created.</summary>
public sealed class ApiKeyRecord
{
    /// <summary>Unique name (who or what uses the key).</summary>
    public required string Name { get; set; }

    /// <summary>viewer, operator or admin.</summary>
    public required string Role { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public required string KeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A backup schedule of one VM or of every VM of an offering; its Quartz trigger has the same id.</summary>
public sealed class ScheduleRecord
{
    public required string Id { get; set; }

    /// <summary>The VM, when the schedule is per VM.</summary>
    public string? VmName { get; set; }

    /// <summary>The offering, when the schedule covers every VM assigned to it.</summary>
    public string? OfferingName { get; set; }

    /// <summary>As the user gave it (<c>daily</c>, <c>0 3 * * *</c>, …).</summary>
    public required string Cron { get; set; }

    /// <summary>The Quartz cron expression it became (seconds first).</summary>
    public required string QuartzCron { get; set; }

    /// <summary>IANA time zone id the cron is read in.</summary>
    public required string TimeZone { get; set; }

    /// <summary>Keep at most this many completed backups per VM; null keeps all.</summary>
    public int? Keep { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
