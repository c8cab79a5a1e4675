using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Jobs;

internal sealed class JobConfiguration : IEntityTypeConfiguration<JobRecord>
{
    public void Configure(EntityTypeBuilder<JobRecord> b)
    {
        b.ToTable("bwf_jobs");
        b.HasKey(j => j.Id);
        b.Property(j => j.HostName).HasMaxLength(100);
        b.Property(j => j.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(j => j.State).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(j => new { j.State, j.HostName });
        b.HasIndex(j => j.BackupId);
    }
}
