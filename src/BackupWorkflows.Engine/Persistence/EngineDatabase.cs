using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackupWorkflows.Engine.Persistence;

/// <summary>Hands out engine contexts, creating the schema once per process before the first use.</summary>
internal sealed class EngineDatabase(IDbContextFactory<EngineDbContext> factory, WorkflowEngineOptions options)
{
    private readonly Lazy<Task> _ready = new(async () =>
    {
        await using var context = await factory.CreateDbContextAsync();
        await SchemaInitializer.EnsureTablesAsync(context);
    });

    public bool IsPostgres => options.Provider == EngineDatabaseProvider.Postgres;

    public Task EnsureReadyAsync() => _ready.Value;

    public async ValueTask<EngineDbContext> CreateAsync(CancellationToken cancellationToken = default)
    {
        var ready = _ready.Value;
        if (!ready.IsCompletedSuccessfully) await ready.WaitAsync(cancellationToken);
        return await factory.CreateDbContextAsync(cancellationToken);
    }

    /// <summary>Unix milliseconds of a time.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Time of Unix milliseconds.</summary>
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>
/// Per-connection SQLite settings: <c>synchronous=NORMAL</c> is durable in WAL mode (a crash loses
/// no committed transaction; only power loss may lose the last ones) and makes commits cheap.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
