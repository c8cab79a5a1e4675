namespace BackupWorkflows.Backup.Settings;

/// <summary>One changed setting (<c>bwf_settings</c>); settings without a row have their default.</summary>
public sealed class SettingRecord
{
    /// <summary>Dotted name, e.g. <c>compression.max.concurrent.per.host</c>.</summary>
    public required string Name { get; set; }

    /// <summary>Value as invariant text.</summary>
    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
