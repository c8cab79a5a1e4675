using BackupWorkflows.Backup.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class HostConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> b)
    {
        b.ToTable("bwf_hosts");
        b.HasKey(h => h.Name);
        b.Property(h => h.Name).HasMaxLength(100);
        b.Property(h => h.Uri).HasMaxLength(500);
        b.Property(h => h.HostKeyFingerprint).HasMaxLength(100);
    }
}

internal sealed class RepositoryConfiguration : IEntityTypeConfiguration<RepositoryRecord>
{
    public void Configure(EntityTypeBuilder<RepositoryRecord> b)
    {
        b.ToTable("bwf_repositories");
        b.HasKey(r => r.Name);
        b.Property(r => r.Name).HasMaxLength(100);
    }
}

internal sealed class OfferingConfiguration : IEntityTypeConfiguration<Offering>
{
    public void Configure(EntityTypeBuilder<Offering> b)
    {
        b.ToTable("bwf_offerings");
        b.HasKey(o => o.Name);
        b.Property(o => o.Name).HasMaxLength(100);
        b.Property(o => o.Quiesce).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Strategy).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.BackupWorkflow).HasMaxLength(100);
        b.Property(o => o.RestoreWorkflow).HasMaxLength(100);
        b.Property(o => o.QuickRestoreWorkflow).HasMaxLength(100);
    }
}

internal sealed class VmAssignmentConfiguration : IEntityTypeConfiguration<VmAssignment>
{
    public void Configure(EntityTypeBuilder<VmAssignment> b)
    {
        b.ToTable("bwf_vm_assignments");
        b.HasKey(a => new { a.HostName, a.VmName });
        b.Property(a => a.VmName).HasMaxLength(200);
        b.Property(a => a.HostName).HasMaxLength(100);
    }
}
