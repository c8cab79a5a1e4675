using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackupWorkflows.Server.Persistence.EntityConfigurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> b)
    {
        b.ToTable("bwf_server_api_keys");
        b.HasKey(k => k.Name);
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Role).HasMaxLength(20);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.HasIndex(k => k.KeyHash).IsUnique();
    }
}
