using BackupWorkflows.Backup.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<ScheduleRecord>
{
    public void Configure(EntityTypeBuilder<ScheduleRecord> b)
    {
        // The name is the one the server's table had before schedules moved into the domain: databases of earlier
        // versions keep their schedules with no upgrade step (and Quartz's jobs keep pointing at the same ids).
        b.ToTable("bwf_server_schedules");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).HasMaxLength(50);
        b.Property(s => s.Workflow).HasMaxLength(100);
    }
}
