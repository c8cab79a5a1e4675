using System.Data;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackupWorkflows.Engine.Persistence;

/// <summary>
/// Creates a DbContext's tables and indexes when they are missing, idempotently, even when other
/// contexts already created their own tables in the same database. <c>EnsureCreated</c> cannot do
/// that (it does nothing once any table exists), so this runs the context's generated create
/// script with <c>IF NOT EXISTS</c> on every statement. Safe to call from several processes at
/// once: SQLite serialises it in an immediate transaction, PostgreSQL under an advisory lock.
/// </summary>
public static partial class SchemaInitializer
{
    private const long PostgresAdvisoryLockKey = 0x6266_7773_6368; // "bfwsch"

    /// <summary>Creates the database if needed, then every missing table and index of <paramref name="context"/>'s model.</summary>
    public static async Task EnsureTablesAsync(DbContext context, CancellationToken cancellationToken = default)
    {
        var creator = context.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try { await creator.CreateAsync(cancellationToken); }
            catch
            {
                if (!await creator.ExistsAsync(cancellationToken)) throw; // else created concurrently
            }
        }

        var script = IdempotentCreateScript(context.Database.GenerateCreateScript());
        var isPostgres = context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        var connection = context.Database.GetDbConnection();
        var wasOpen = connection.State == ConnectionState.Open;
        if (!wasOpen) await connection.OpenAsync(cancellationToken);
        try
        {
            if (isPostgres)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresAdvisoryLockKey})", cancellationToken);
                try { await ExecuteAsync(connection, script, cancellationToken); }
                finally { await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresAdvisoryLockKey})", CancellationToken.None); }
            }
            else
            {
                // WAL lets readers (API, studio) run while the engine commits; it is a property of the file.
                await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
                await ExecuteAsync(connection, "BEGIN IMMEDIATE;\n" + script + "\nCOMMIT;", cancellationToken);
            }
        }
        finally
        {
            if (!wasOpen) await connection.CloseAsync();
        }
    }

    /// <summary>Drops a table an earlier version made and this one no longer has; nothing when it is gone already.</summary>
    /// <param name="context">Any context on the database.</param>
    /// <param name="table">The table's name: a constant of the caller, never input.</param>
    /// <param name="cancellationToken">Cancels the drop.</param>
    public static async Task DropFormerTableAsync(DbContext context, string table, CancellationToken cancellationToken = default)
    {
        // Identifiers cannot be parameters; IF EXISTS makes a drop by another node at the same time harmless.
#pragma warning disable EF1002
        await context.Database.ExecuteSqlRawAsync($"DROP TABLE IF EXISTS \"{table}\"", cancellationToken);
#pragma warning restore EF1002
    }

    /// <summary>The create script with <c>IF NOT EXISTS</c> on each CREATE TABLE / CREATE INDEX.</summary>
    public static string IdempotentCreateScript(string createScript)
    {
        var script = CreateTable().Replace(createScript, "CREATE TABLE IF NOT EXISTS ");
        return CreateIndex().Replace(script, m => $"CREATE {m.Groups[1].Value}INDEX IF NOT EXISTS ");
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"CREATE TABLE (?!IF NOT EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();
}
