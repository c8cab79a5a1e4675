using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>
/// The bitmap strategy on a real guest: libvirt checkpoints and push-mode backup jobs, points restored and
/// checked file by file, and switches between the strategies that end each chain cleanly.
/// </summary>
public sealed class BitmapStrategyTests(BitmapGuestFixture fixture) : IClassFixture<BitmapGuestFixture>
{
    private TestGuest Guest => fixture.Guest;

    [Fact]
    public async Task FullThenTwoIncrementals_EachPointRestoresExactlyItsFiles()
    {
        await fixture.EnsureRunningAsync();
        await using var harness = await BackupHarness.StartAsync(strategy: BackupStrategy.Bitmap);
        await harness.AssignAsync(Guest.Name);
        await Guest.Agent.ShellAsync("rm -f /mnt/vda/file*.txt; dd if=/dev/urandom of=/mnt/vda/bulk bs=1M count=12 2>/dev/null && sync");
        var points = new List<(BackupRecord Backup, Dictionary<string, string> Files)>();
        var files = new Dictionary<string, string>();
        for (var i = 1; i <= 3; i++)
        {
            var path = $"/mnt/vda/file{i}.txt";
            await Guest.WriteFileAsync(path, $"point {i} {Guid.NewGuid()}\n" + new string((char)('a' + i), 5000 * i));
            files[path] = await Guest.Sha256Async(path);
            points.Add((await harness.BackupOkAsync(Guest.Name), new Dictionary<string, string>(files)));
        }

        var backups = points.Select(p => p.Backup).ToList();
        Assert.Equal([BackupType.Full, BackupType.Incremental, BackupType.Incremental], backups.Select(b => b.Type));
        Assert.All(backups, b => Assert.Equal(BackupStrategy.Bitmap, b.Strategy));
        Assert.All(backups, b => Assert.True(b.Quiesced, "the guest agent answers, so every backup is quiesced"));
        Assert.Equal(backups[0].Id, backups[1].ParentId);
        Assert.Equal(backups[1].Id, backups[2].ParentId);
        // Nothing on primary: the VM runs on its image alone, and only the latest backup's checkpoint is left.
        Assert.Single(await ChainAssert.ChainOfAsync(Guest));
        Assert.Equal([backups[2].Checkpoint!], await Guest.Virsh.ListCheckpointNamesAsync(Guest.Name));
        var repoChain = await ChainAssert.ChainOfImageAsync(backups[2].Volumes[0].ImagePath);
        Assert.Equal(backups.Select(b => b.Volumes[0].ImagePath).Reverse(), repoChain.Select(i => i.Filename));
        Assert.True(backups[0].StoredSize > 12 << 20, $"full: {backups[0].StoredSize}");
        Assert.True(backups[1].StoredSize < 4 << 20, $"incremental: {backups[1].StoredSize} bytes for ~10 KB of writes");
        await ChainAssert.HealthyAsync(Guest, backups);

        foreach (var (backup, expected) in points)
        {
            var restore = await harness.RestoreAsync(backup.Id);
            Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
            await Guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
            var present = (await Guest.ListFilesAsync("/mnt/vda")).Select(Path.GetFileName).Where(f => f!.StartsWith("file", StringComparison.Ordinal)).Order();
            Assert.Equal(expected.Keys.Select(Path.GetFileName).Order(), present);
            foreach (var (path, sha) in expected) Assert.Equal(sha, await Guest.Sha256Async(path));
        }
    }

    [Fact]
    public async Task StrategySwitchedDeltaBitmapDelta_EachSwitchEndsTheChainCleanly()
    {
        await fixture.EnsureRunningAsync();
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(Guest.Name);
        await harness.BackupOkAsync(Guest.Name);
        await Guest.WriteFileAsync("/mnt/vda/delta.txt", "delta");
        Assert.Equal(BackupType.Incremental, (await harness.BackupOkAsync(Guest.Name)).Type);
        Assert.Equal(2, (await ChainAssert.ChainOfAsync(Guest)).Count); // base + the delta of the delta strategy

        await harness.SetStrategyAsync(BackupStrategy.Bitmap);
        var bitmapFull = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Full, bitmapFull.Type);
        Assert.Equal("the offering's strategy changed from delta to bitmap", bitmapFull.TypeReason);
        Assert.Single(await ChainAssert.ChainOfAsync(Guest)); // the delta was merged: no delta left behind
        await Guest.WriteFileAsync("/mnt/vda/bitmap.txt", "bitmap");
        var sha = await Guest.Sha256Async("/mnt/vda/bitmap.txt");
        var bitmapIncr = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Incremental, bitmapIncr.Type);

        await harness.SetStrategyAsync(BackupStrategy.Delta);
        var deltaFull = await harness.BackupOkAsync(Guest.Name);
        Assert.Equal(BackupType.Full, deltaFull.Type);
        Assert.Equal("the offering's strategy changed from bitmap to delta", deltaFull.TypeReason);
        Assert.Empty(await Guest.Virsh.ListCheckpointNamesAsync(Guest.Name)); // no checkpoint left behind
        Assert.Equal(BackupType.Incremental, (await harness.BackupOkAsync(Guest.Name)).Type);
        await ChainAssert.HealthyAsync(Guest, await harness.BackupsAsync(Guest.Name));
        Assert.Equal(sha, await Guest.Sha256Async("/mnt/vda/bitmap.txt"));
    }
}
