using BackupWorkflows.Backup.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class BackupConfiguration : IEntityTypeConfiguration<BackupRecord>
{
    public void Configure(EntityTypeBuilder<BackupRecord> b)
    {
        b.ToTable("bwf_backups");
        b.HasKey(x => x.Id);
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Strategy).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Checkpoint).HasMaxLength(100);
        b.HasIndex(x => new { x.HostName, x.VmName, x.CreatedAt });
        b.HasMany(x => x.Volumes).WithOne().HasForeignKey(v => v.BackupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BackupVolumeConfiguration : IEntityTypeConfiguration<BackupVolume>
{
    public void Configure(EntityTypeBuilder<BackupVolume> b)
    {
        b.ToTable("bwf_backup_volumes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Target).HasMaxLength(50);
    }
}

internal sealed class StagingReservationConfiguration : IEntityTypeConfiguration<Staging.StagingReservation>
{
    public void Configure(EntityTypeBuilder<Staging.StagingReservation> b)
    {
        b.ToTable("bwf_staging_reservations");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.HostName);
    }
}

internal sealed class ShippedWorkflowConfiguration : IEntityTypeConfiguration<Hosting.ShippedWorkflowRecord>
{
    public void Configure(EntityTypeBuilder<Hosting.ShippedWorkflowRecord> b)
    {
        b.ToTable("bwf_shipped_workflows");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(200);
    }
}
