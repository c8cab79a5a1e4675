using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Persistence;

/// <summary>The engine's tables (all prefixed <c>wf_</c> so they can share a database with other contexts).</summary>
internal sealed class EngineDbContext(DbContextOptions<EngineDbContext> options) : DbContext(options)
{
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<JournalRecord> Journal => Set<JournalRecord>();
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();
    public DbSet<ProgressRecord> Progress => Set<ProgressRecord>();
    public DbSet<LockClaimRecord> LockClaims => Set<LockClaimRecord>();
    public DbSet<LockNameRecord> LockNames => Set<LockNameRecord>();
    public DbSet<TriggerRecord> Triggers => Set<TriggerRecord>();
    public DbSet<OriginRecord> Origins => Set<OriginRecord>();
    public DbSet<EventRecord> Events => Set<EventRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("wf_definitions");
            e.HasKey(x => new { x.Id, x.Version });
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.HasQueryFilter(x => !x.IsDeleted);
        });
        b.Entity<InstanceRecord>(e =>
        {
            e.ToTable("wf_instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.OwnerNode).IsConcurrencyToken();
            e.HasIndex(x => new { x.Status, x.ResumeAt });
            e.HasIndex(x => new { x.DefinitionId, x.CreatedAt });
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => new { x.DefinitionId, x.IdempotencyKey }).IsUnique();
        });
        b.Entity<JournalRecord>(e =>
        {
            e.ToTable("wf_journal");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.InstanceId, x.Id });
        });
        b.Entity<IncidentRecord>(e =>
        {
            e.ToTable("wf_incidents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
        });
        b.Entity<ProgressRecord>(e =>
        {
            e.ToTable("wf_progress");
            e.HasKey(x => new { x.InstanceId, x.ActivityId });
        });
        b.Entity<LockClaimRecord>(e =>
        {
            e.ToTable("wf_lock_claims");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Name, x.InstanceId }).IsUnique();
            e.HasIndex(x => x.InstanceId);
        });
        b.Entity<LockNameRecord>(e =>
        {
            e.ToTable("wf_lock_names");
            e.HasKey(x => x.Name);
        });
        b.Entity<TriggerRecord>(e =>
        {
            e.ToTable("wf_triggers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Type, x.Key }).IsUnique();
            e.HasIndex(x => x.DefinitionId);
        });
        b.Entity<OriginRecord>(e =>
        {
            e.ToTable("wf_instance_origins");
            e.HasKey(x => x.InstanceId);
            e.Property(x => x.InstanceId).HasMaxLength(64);
            e.HasIndex(x => x.ParentInstanceId);
        });
        b.Entity<EventRecord>(e =>
        {
            e.ToTable("wf_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.HasIndex(x => new { x.DispatchedAt, x.CreatedAt });
        });
    }
}
