using BackupWorkflows.Backup.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class SettingConfiguration : IEntityTypeConfiguration<SettingRecord>
{
    public void Configure(EntityTypeBuilder<SettingRecord> b)
    {
        b.ToTable("bwf_settings");
        b.HasKey(s => s.Name);
        b.Property(s => s.Name).HasMaxLength(100);
    }
}
