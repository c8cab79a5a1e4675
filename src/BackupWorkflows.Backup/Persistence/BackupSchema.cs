using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Backup.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackupWorkflows.Backup.Persistence;

/// <summary>Creates the backup tables and brings tables made by earlier versions up to date.</summary>
public static class BackupSchema
{
    /// <summary>Creates missing tables, then applies the upgrades below; idempotent.</summary>
    /// <param name="db">The backup tables.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    /// <param name="logger">Where upgrades of stored settings are reported.</param>
    public static async Task EnsureAsync(BackupDbContext db, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        await SchemaInitializer.EnsureTablesAsync(db, cancellationToken);
        // Volume checksums were SHA-256 only, in column "Sha256"; they now name their algorithm.
        await RenameColumnAsync(db, "bwf_backup_volumes", "Sha256", "Checksum", cancellationToken);
        // The strategy (delta or bitmap) came with changed-block tracking; earlier rows are all delta.
        await AddColumnAsync(db, "bwf_offerings", "Strategy", "VARCHAR(20) NOT NULL DEFAULT 'Delta'", cancellationToken);
        await AddColumnAsync(db, "bwf_backups", "Strategy", "VARCHAR(20) NOT NULL DEFAULT 'Delta'", cancellationToken);
        await AddColumnAsync(db, "bwf_backups", "Checkpoint", "VARCHAR(100) NULL", cancellationToken);
        // Hosts pin their SSH host key and may have a passphrase file for their private key.
        await AddColumnAsync(db, "bwf_hosts", "HostKeyFingerprint", "varchar(100) NULL", cancellationToken);
        await AddColumnAsync(db, "bwf_hosts", "IdentityPassphraseFile", "text NULL", cancellationToken);
        // Offerings and schedules name the workflows their entry points start; earlier rows start the shipped ones.
        await AddColumnAsync(db, "bwf_offerings", "BackupWorkflow", "VARCHAR(100) NOT NULL DEFAULT 'backup'", cancellationToken);
        await AddColumnAsync(db, "bwf_offerings", "RestoreWorkflow", "VARCHAR(100) NOT NULL DEFAULT 'restore'", cancellationToken);
        await AddColumnAsync(db, "bwf_offerings", "QuickRestoreWorkflow", "VARCHAR(100) NOT NULL DEFAULT 'quick-restore'", cancellationToken);
        await AddColumnAsync(db, "bwf_server_schedules", "Workflow", "VARCHAR(100) NULL", cancellationToken);
        await AddColumnAsync(db, "bwf_server_schedules", "Input", "TEXT NULL", cancellationToken);
        await SettingUpgrade.RunAsync(db, logger ?? NullLogger.Instance, cancellationToken);
    }

    private static IQueryable<int> ColumnCount(BackupDbContext db, string table, string column) =>
        db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {table} AND column_name = {column}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM pragma_table_info({table}) WHERE name = {column}");

    private static async Task AddColumnAsync(BackupDbContext db, string table, string column, string definition, CancellationToken ct)
    {
        var exists = ColumnCount(db, table, column);
        if (await exists.SingleAsync(ct) != 0) return;
        try
        {
            // Identifiers and definitions cannot be parameters; these are the constants above, never input.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}", ct);
#pragma warning restore EF1002
        }
        catch (Exception)
        {
            if (await exists.SingleAsync(ct) == 0) throw; // else another node added it first
        }
    }

    private static async Task RenameColumnAsync(BackupDbContext db, string table, string from, string to, CancellationToken ct)
    {
        var exists = ColumnCount(db, table, from);
        if (await exists.SingleAsync(ct) == 0) return;
        try
        {
            // Identifiers cannot be parameters; these are the constants above, never input.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"ALTER TABLE \"{table}\" RENAME COLUMN \"{from}\" TO \"{to}\"", ct);
#pragma warning restore EF1002
        }
        catch (Exception)
        {
            if (await exists.SingleAsync(ct) != 0) throw; // else another node renamed it first
        }
    }
}
