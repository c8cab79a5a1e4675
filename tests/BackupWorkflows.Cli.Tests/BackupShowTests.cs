using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Cli.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Cli.Tests;

/// <summary><c>bwf backup show</c> against the real server, with a backup row written into its database.</summary>
[Collection(CliServerCollection.Name)]
public sealed class BackupShowTests(CliServer server)
{
    [Fact]
    public async Task Show_PrintsEachVolumesChecksumWithItsAlgorithm()
    {
        var id = Guid.NewGuid();
        var checksum = "blake3:" + string.Concat(Enumerable.Repeat("0123456789abcdef", 4));
        var options = new DbContextOptionsBuilder<BackupDbContext>()
            .UseSqlite($"Data Source={Path.Combine(server.Server.DataDirectory, "bwf.db")}").Options;
        await using (var db = new BackupDbContext(options))
        {
            var at = DateTimeOffset.UtcNow;
            db.Backups.Add(new BackupRecord
            {
                Id = id, VmName = "show-1", HostName = "local", RepositoryName = "default", Type = BackupType.Full, ChainId = id,
                ChainPosition = 1, State = BackupState.BackedUp, CreatedAt = at, CompletedAt = at, VirtualSize = 1 << 20, StoredSize = 5,
                Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/nowhere/vda.qcow2",
                    ImagePath = "/nowhere/vda.qcow2", VirtualSize = 1 << 20, StoredSize = 5, Checksum = checksum }],
            });
            await db.SaveChangesAsync();
        }

        var shown = await server.RunAsync("backup", "show", id.ToString());

        Assert.True(shown.ExitCode == 0, shown.Error + shown.Output);
        Assert.Contains("CHECKSUM", shown.Output);
        Assert.Contains(checksum, shown.Output);
    }
}
