namespace BackupWorkflows.Backup.Schedules;

/// <summary>A backup schedule of one VM or of every VM of an offering; the server's Quartz job and trigger have the same id.</summary>
public sealed class ScheduleRecord
{
    /// <summary>Id such as <c>s-1a2b3c4d5e6f</c>.</summary>
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

    /// <summary>The workflow each firing starts per VM; null starts the backup workflow of the VM's offering.</summary>
    public string? Workflow { get; set; }

    /// <summary>Input given to every start (a JSON object), under the <c>host</c> and <c>vm</c> of each VM; null gives none.</summary>
    public string? Input { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
