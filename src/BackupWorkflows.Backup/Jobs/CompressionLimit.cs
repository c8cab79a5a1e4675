namespace BackupWorkflows.Backup.Jobs;

/// <summary>How many compressions may run on a host at once: the host's own limit and the global
/// per-host setting both apply, so the stricter wins; -1 means "no limit" in either.</summary>
public static class CompressionLimit
{
    /// <summary>The effective limit, or -1 for none.</summary>
    public static int For(int hostLimit, int globalPerHost) => (hostLimit, globalPerHost) switch
    {
        ( < 0, < 0) => -1,
        ( < 0, _) => globalPerHost,
        (_, < 0) => hostLimit,
        _ => Math.Min(hostLimit, globalPerHost),
    };
}
