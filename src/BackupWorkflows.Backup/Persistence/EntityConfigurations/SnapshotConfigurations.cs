using BackupWorkflows.Backup.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<VmSnapshot>
{
    public void Configure(EntityTypeBuilder<VmSnapshot> b)
    {
        b.ToTable("bwf_snapshots");
        b.HasKey(x => x.Id);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.HostName, x.VmName });
        b.HasMany(x => x.Disks).WithOne().HasForeignKey(d => d.SnapshotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SnapshotDiskConfiguration : IEntityTypeConfiguration<SnapshotDisk>
{
    public void Configure(EntityTypeBuilder<SnapshotDisk> b)
    {
        b.ToTable("bwf_snapshot_disks");
        b.HasKey(x => x.Id);
        b.Property(x => x.Target).HasMaxLength(50);
    }
}
