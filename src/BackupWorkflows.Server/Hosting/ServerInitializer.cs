using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Hosting;

/// <summary>
/// First things at start, before the engine and the scheduler run: the domain's and the server's
/// tables, the embedded default (this machine as host <c>local</c>, a repository under the data
/// directory), and the first admin key. (The backup domain's own start-up step imports the shipped workflows.)
/// </summary>
/// <remarks>Every step is idempotent and safe when several nodes start at once on one database.</remarks>
internal sealed class ServerInitializer(IServiceProvider services, ServerConfiguration config, TimeProvider time,
    ILogger<ServerInitializer> logger) : IHostedLifecycleService
{
    /// <summary>File in the data directory holding the first admin key (mode 0600).</summary>
    public const string InitialAdminKeyFile = "initial-admin-key";

    /// <summary>The server's own idempotency table of earlier versions, dropped at start.</summary>
    public const string FormerIdempotencyTable = "bwf_server_idempotency";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var backupDb = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
        var serverDb = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        await BackupSchema.EnsureAsync(backupDb, cancellationToken, logger);
        await SchemaInitializer.EnsureTablesAsync(serverDb, cancellationToken);
        // Idempotency keys live on the engine's instances only; every key the server's former table held was also
        // given to the engine (the launcher always passed it on), so dropping it loses no replay.
        await SchemaInitializer.DropFormerTableAsync(serverDb, FormerIdempotencyTable, cancellationToken);
        if (config.Database == DatabaseKind.Sqlite) await SeedEmbeddedDefaultAsync(backupDb, cancellationToken);
        await CreateFirstAdminKeyAsync(scope.ServiceProvider.GetRequiredService<ApiKeys>(), cancellationToken);
    }

    private async Task SeedEmbeddedDefaultAsync(BackupDbContext db, CancellationToken ct)
    {
        if (await db.Hosts.AnyAsync(ct) || await db.Repositories.AnyAsync(ct)) return;
        var now = time.GetUtcNow();
        var staging = Directory.CreateDirectory(Path.Combine(config.DataDirectory, "staging")).FullName;
        var repository = Directory.CreateDirectory(Path.Combine(config.DataDirectory, "repository")).FullName;
        db.Hosts.Add(new HostRecord { Name = "local", Uri = "local", StagingDir = staging, CreatedAt = now });
        db.Repositories.Add(new RepositoryRecord { Name = "default", Path = repository, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Embedded default: host 'local' (staging {Staging}), repository 'default' at {Repository}", staging, repository);
    }

    private async Task CreateFirstAdminKeyAsync(ApiKeys keys, CancellationToken ct)
    {
        if ((await keys.ListAsync(ct)).Count > 0) return;
        string key;
        try { key = await keys.CreateAsync("admin", Roles.Admin, ct); }
        catch (DbUpdateException) { return; } // another node created it first
        var file = Path.Combine(config.DataDirectory, InitialAdminKeyFile);
        await File.WriteAllTextAsync(file, key + "\n", ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Shown once: only its hash is stored. Stdout on purpose, not the log, so it is not shipped to log stores.
        Console.WriteLine($"""

            First start: created the admin API key (shown only this once; also in {file}, mode 0600):

                {key}

            Use it with: export BWF_API_KEY={key}

            """);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
