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
        await InsertAsync(id, "show-1", b =>
        {
            b.VirtualSize = 1 << 20;
            b.StoredSize = 5;
            b.Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/nowhere/vda.qcow2",
                ImagePath = "/nowhere/vda.qcow2", VirtualSize = 1 << 20, StoredSize = 5, Checksum = checksum }];
        });

        var shown = await server.RunAsync("backup", "show", id.ToString());

        Assert.True(shown.ExitCode == 0, shown.Error + shown.Output);
        Assert.Contains("CHECKSUM", shown.Output);
        Assert.Contains(checksum, shown.Output);
    }

    [Fact]
    public async Task Show_PrintsTheStrategyAndWhyAFullWasTaken()
    {
        var id = Guid.NewGuid();
        const string reason = "checkpoint bwf-x of the latest backup is missing from libvirt (the VM was redefined or migrated, or the checkpoint deleted)";
        await InsertAsync(id, "show-2", b =>
        {
            b.Strategy = BackupStrategy.Bitmap;
            b.Checkpoint = "bwf-" + id;
            b.TypeReason = reason;
        });

        var shown = await server.RunAsync("backup", "show", id.ToString());

        Assert.True(shown.ExitCode == 0, shown.Error + shown.Output);
        Assert.Contains("bitmap", shown.Output);
        Assert.Contains("is missing from libvirt", shown.Output.Replace("\n", " ").Replace("  ", " "));
    }

    /// <summary>Writes a BackedUp full of <paramref name="vm"/> straight into the server's database.</summary>
    private async Task InsertAsync(Guid id, string vm, Action<BackupRecord> shape)
    {
        var options = new DbContextOptionsBuilder<BackupDbContext>()
            .UseSqlite($"Data Source={Path.Combine(server.Server.DataDirectory, "bwf.db")}").Options;
        await using var db = new BackupDbContext(options);
        var at = DateTimeOffset.UtcNow;
        var backup = new BackupRecord
        {
            Id = id, VmName = vm, HostName = "local", RepositoryName = "default", Type = BackupType.Full, ChainId = id,
            ChainPosition = 1, State = BackupState.BackedUp, CreatedAt = at, CompletedAt = at,
        };
        shape(backup);
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
    }
}
