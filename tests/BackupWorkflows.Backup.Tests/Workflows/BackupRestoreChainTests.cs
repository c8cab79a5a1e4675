using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>
/// Full, incremental, incremental of a running guest, then each point restored in turn: after
/// each restore the guest boots and holds exactly the files of that point, byte for byte.
/// </summary>
public sealed class BackupRestoreChainTests
{
    [Fact]
    public async Task FullThenTwoIncrementals_EachPointRestoresExactlyItsFiles_Local()
    {
        await using var guest = await TestGuest.CreateAsync("chain");
        await using var harness = await BackupHarness.StartAsync();
        await RunChainScenarioAsync(harness, guest);
    }

    internal static async Task RunChainScenarioAsync(BackupHarness harness, TestGuest guest)
    {
        await harness.AssignAsync(guest.Name);
        var points = new List<(Guid Id, Dictionary<string, string> Files)>();
        var files = new Dictionary<string, string>();
        // Some bulk in the base, so that "an incremental costs only the changed bytes" is measurable.
        await guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/bulk bs=1M count=12 2>/dev/null && sync");
        for (var i = 1; i <= 3; i++)
        {
            var path = $"/mnt/vda/file{i}.txt";
            await guest.WriteFileAsync(path, $"point {i} {Guid.NewGuid()}\n" + new string((char)('a' + i), 5000 * i));
            files[path] = await guest.Sha256Async(path);
            var run = await harness.BackupAsync(guest.Name);
            Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
            points.Add((BackupHarness.BackupIdOf(run), new Dictionary<string, string>(files)));
        }

        var backups = await harness.BackupsAsync(guest.Name);
        Assert.Equal([BackupType.Full, BackupType.Incremental, BackupType.Incremental], backups.Select(b => b.Type));
        Assert.All(backups, b => Assert.Equal(BackupState.BackedUp, b.State));
        Assert.All(backups, b => Assert.True(b.Quiesced, "the guest agent answers, so every snapshot is quiesced"));
        Assert.Equal(backups[0].Id, backups[1].ParentId);
        Assert.Equal(backups[1].Id, backups[2].ParentId);
        Assert.All(backups.SelectMany(b => b.Volumes), v => Assert.True(File.Exists(v.ImagePath), v.ImagePath));

        // The VM runs on base + exactly one delta, and the repository chain resolves inside the repository.
        var qemuImg = new QemuImg(new LocalHostShell());
        var active = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source!;
        Assert.Equal(2, (await qemuImg.BackingChainAsync(active, forceShare: true)).Count);
        var repoChain = await qemuImg.BackingChainAsync(backups[2].Volumes[0].ImagePath, forceShare: true);
        Assert.Equal(3, repoChain.Count);
        Assert.All(repoChain, i => Assert.StartsWith(harness.RepositoryPath, i.Filename));
        // Incrementals cost only the changed bytes: far less than the full.
        Assert.True(backups[0].StoredSize > 12 << 20, $"full: {backups[0].StoredSize}");
        Assert.True(backups[1].StoredSize < 4 << 20, $"incremental: {backups[1].StoredSize} bytes for ~10 KB of writes");

        foreach (var (id, expected) in points)
        {
            var restore = await harness.RestoreAsync(id);
            Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
            await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
            var present = (await guest.ListFilesAsync("/mnt/vda")).Select(f => Path.GetFileName(f)).Where(f => f.StartsWith("file", StringComparison.Ordinal)).Order().ToList();
            Assert.Equal(expected.Keys.Select(k => Path.GetFileName(k)).Order().ToList(), present);
            foreach (var (path, sha) in expected) Assert.Equal(sha, await guest.Sha256Async(path));
        }

        // A restore ends the chain: the next backup is full and says why.
        var after = await harness.BackupAsync(guest.Name);
        Assert.True(after.Status == WorkflowStatus.Finished, await harness.DescribeAsync(after));
        Assert.Equal("Full", after.Output?["type"]?.GetValue<string>());
        Assert.Contains("restored", after.Output?["reason"]?.GetValue<string>());
    }
}
