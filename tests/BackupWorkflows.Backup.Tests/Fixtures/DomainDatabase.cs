using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Testing.Databases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Tests.Fixtures;

/// <summary>A fresh backup schema on a real SQLite file or a real PostgreSQL database, for the domain services.</summary>
public sealed class DomainDatabase : IAsyncDisposable
{
    private readonly string? _file;
    private readonly DbContextOptions<BackupDbContext> _options;

    private DomainDatabase(DbContextOptions<BackupDbContext> options, string? file)
    {
        _options = options;
        _file = file;
    }

    /// <summary>Creates the schema on <paramref name="provider"/> ("sqlite" or "postgres").</summary>
    public static async Task<DomainDatabase> CreateAsync(string provider, PostgresCluster postgres)
    {
        var file = provider == "sqlite" ? Path.Combine(Path.GetTempPath(), $"bwf-domain-{Guid.NewGuid():N}.db") : null;
        var builder = new DbContextOptionsBuilder<BackupDbContext>();
        var options = (file is null ? builder.UseNpgsql(postgres.NewDatabase()) : builder.UseSqlite($"Data Source={file}")).Options;
        var database = new DomainDatabase(options, file);
        await using var db = database.Open();
        await BackupSchema.EnsureAsync(db);
        return database;
    }

    /// <summary>A new context on the database; the caller disposes it.</summary>
    public BackupDbContext Open() => new(_options);

    /// <summary>Runs <paramref name="action"/> on a context of its own and saves.</summary>
    public async Task SeedAsync(Action<BackupDbContext> action)
    {
        await using var db = Open();
        action(db);
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync()
    {
        if (_file is null) return ValueTask.CompletedTask;
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return ValueTask.CompletedTask;
    }
}
