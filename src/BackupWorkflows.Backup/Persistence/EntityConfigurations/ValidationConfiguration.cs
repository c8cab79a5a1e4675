using BackupWorkflows.Backup.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Backup.Persistence.EntityConfigurations;

internal sealed class ValidationConfiguration : IEntityTypeConfiguration<ValidationRecord>
{
    public void Configure(EntityTypeBuilder<ValidationRecord> b)
    {
        b.ToTable("bwf_validations");
        b.HasKey(v => v.Id);
        b.Property(v => v.Level).HasMaxLength(20);
        b.Property(v => v.Result).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(v => v.BackupId);
    }
}
