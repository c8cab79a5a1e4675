using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Settings;

/// <summary>
/// Brings settings stored by earlier versions into the one catalog, at start: rows of the server's
/// former table <c>bwf_server_settings</c> move to <c>bwf_settings</c>, former names take their new
/// name, and values the catalog does not allow (an older version had no upper bounds) or names
/// nothing reads are dropped with a warning, so the setting is back at its default.
/// </summary>
/// <remarks>Idempotent; several nodes may run it at once (a row another node moved first is skipped).</remarks>
internal static class SettingUpgrade
{
    /// <summary>The server's settings table before the catalog was one.</summary>
    public const string FormerServerTable = "bwf_server_settings";

    public static async Task RunAsync(BackupDbContext db, ILogger logger, CancellationToken ct)
    {
        var stored = await db.Settings.ToListAsync(ct);
        if (await TableExistsAsync(db, FormerServerTable, ct))
        {
            List<FormerRow> former;
            try
            {
                // The name is the constant above, never input.
#pragma warning disable EF1002
                former = await db.Database.SqlQueryRaw<FormerRow>($"SELECT \"Name\", \"Value\" FROM \"{FormerServerTable}\"").ToListAsync(ct);
#pragma warning restore EF1002
            }
            catch (Exception)
            {
                if (await TableExistsAsync(db, FormerServerTable, ct)) throw;
                former = []; // another node moved its rows and dropped it just now
            }
            foreach (var row in former.Where(r => stored.All(s => s.Name != r.Name)))
            {
                var moved = new SettingRecord { Name = row.Name, Value = row.Value, UpdatedAt = DateTimeOffset.UtcNow };
                db.Settings.Add(moved);
                stored.Add(moved);
            }
        }

        foreach (var row in stored.ToList())
        {
            if (SettingCatalog.FormerNames.TryGetValue(row.Name, out var now))
            {
                db.Settings.Remove(row);
                stored.Remove(row);
                if (stored.Any(s => s.Name == now)) continue;
                logger.LogInformation("Setting {Former} is now called {Setting}; value {Value} kept", row.Name, now, row.Value);
                var renamed = new SettingRecord { Name = now, Value = row.Value, UpdatedAt = row.UpdatedAt };
                db.Settings.Add(renamed);
                stored.Add(renamed);
            }
        }

        foreach (var row in stored.ToList())
        {
            if (SettingCatalog.Find(row.Name) is not { } definition)
            {
                logger.LogWarning("Stored setting {Setting} = {Value} is not a setting of this version; removed", row.Name, row.Value);
                db.Settings.Remove(row);
                continue;
            }
            var (canonical, error) = definition.Check(row.Value);
            if (error is not null)
            {
                logger.LogWarning("Stored setting {Setting} is not allowed ({Error}); reset to its default {Default}", row.Name, error, definition.Default);
                db.Settings.Remove(row);
            }
            else row.Value = canonical!;
        }

        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another node upgraded the same rows first
        if (await TableExistsAsync(db, FormerServerTable, ct))
        {
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"DROP TABLE IF EXISTS \"{FormerServerTable}\"", ct);
#pragma warning restore EF1002
        }
    }

    private static async Task<bool> TableExistsAsync(BackupDbContext db, string table, CancellationToken ct) =>
        await (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {table}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}"))
        .SingleAsync(ct) > 0;

    private sealed class FormerRow
    {
        public string Name { get; set; } = "";
        public string Value { get; set; } = "";
    }
}
