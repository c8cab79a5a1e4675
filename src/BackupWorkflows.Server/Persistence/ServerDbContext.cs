using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Persistence;

/// <summary>The server's own table (<c>bwf_server_api_keys</c>: who may call the API), in the same database as the engine's.
/// Everything of the domain (schedules too) is in <see cref="Backup.Persistence.BackupDbContext"/>.</summary>
public sealed class ServerDbContext(DbContextOptions<ServerDbContext> options) : DbContext(options)
{
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ServerDbContext).Assembly);
}
