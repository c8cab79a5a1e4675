using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>How many compressions may run on a host at once: the host's own limit and the global
/// per-host setting both apply, so the stricter wins; -1 means "no limit" in either.</summary>
public sealed class CompressionLimit(BackupDbContext db, BackupSettings settings)
{
    /// <summary>The effective limit, or -1 for none.</summary>
    public static int For(int hostLimit, int globalPerHost) => (hostLimit, globalPerHost) switch
    {
        ( < 0, < 0) => -1,
        ( < 0, _) => globalPerHost,
        (_, < 0) => hostLimit,
        _ => Math.Min(hostLimit, globalPerHost),
    };

    /// <summary>
    /// The size of the host's compression semaphore now, read afresh (the engine asks again while
    /// jobs wait, so a changed setting or host limit applies to waiting jobs): unlimited is
    /// <see cref="int.MaxValue"/>, so running compressions still hold counted slots if a limit is set later.
    /// </summary>
    public async ValueTask<int> SlotsAsync(string host, CancellationToken ct)
    {
        var hostLimit = await db.Hosts.AsNoTracking().Where(h => h.Name == host).Select(h => (int?)h.MaxConcurrentCompressions).FirstOrDefaultAsync(ct) ?? -1;
        var limit = For(hostLimit, await settings.GetIntAsync(SettingCatalog.CompressionMaxConcurrentPerHost, ct));
        return limit < 0 ? int.MaxValue : limit;
    }
}
