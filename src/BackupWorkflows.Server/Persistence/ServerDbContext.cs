using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Persistence;

/// <summary>The server's own tables (<c>bwf_server_*</c>), in the same database as the engine's.</summary>
public sealed class ServerDbContext(DbContextOptions<ServerDbContext> options) : DbContext(options)
{
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<ScheduleRecord> Schedules => Set<ScheduleRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ServerDbContext).Assembly);
}
