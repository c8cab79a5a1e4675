using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Domains;

/// <summary>The backup's core moves on a live guest: quiesced disk-only snapshot, then commit back.</summary>
[Collection(GuestCollection.Name)]
public sealed class SnapshotCommitTests(KvmGuestFixture fixture, SshdFixture sshd)
{
    public static TheoryData<string> Hosts => new() { "local", "ssh" };

    private TestGuest Guest => fixture.Guest;

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task QuiescedSnapshotExcludingVdb_ThenActiveCommit_ReturnsTheChainToTheBase(string host)
    {
        await using var shell = host == "local" ? new LocalHostShell() : sshd.CreateShell();
        var virsh = new Virsh(shell);
        var img = new QemuImg(shell);
        var basePath = Guest.RootDiskPath;
        var vdbBefore = (await virsh.GetDefinitionAsync(Guest.Name)).Disk("vdb").Source;
        var overlay = Path.Combine(fixture.Directory, $"{Guest.Name}-vda snap 'q' $x, {host}.qcow2");
        await Guest.WriteFileAsync($"/mnt/vda/before-{host}.txt", "written before the snapshot");

        await virsh.CreateDiskSnapshotAsync(
            Guest.Name, [DiskSnapshotSpec.External("vda", overlay), DiskSnapshotSpec.Excluded("vdb")], quiesce: true);

        var during = await virsh.GetDefinitionAsync(Guest.Name);
        Assert.Equal(overlay, during.Disk("vda").Source);
        Assert.Equal([basePath], during.Disk("vda").BackingChain);
        Assert.Equal(vdbBefore, during.Disk("vdb").Source);
        Assert.Equal([overlay, basePath], (await img.BackingChainAsync(overlay, forceShare: true)).Select(i => i.Filename));
        Assert.Equal(FreezeStatus.Thawed, await new GuestAgent(virsh, Guest.Name).GetFreezeStatusAsync());

        // New writes land in the overlay; commit them back with a bandwidth limit so progress can be seen.
        await Guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/big-$1 bs=1M count=4 2>/dev/null && sync", [host]);
        var bigSum = await Guest.Sha256Async($"/mnt/vda/big-{host}");
        Assert.Contains(await img.MapAsync(overlay, forceShare: true), e => e.Depth == 0 && e.Data);
        var progress = new List<BlockJob>();

        await virsh.BlockCommitAsync(Guest.Name, "vda", new BlockCommitOptions
        {
            BandwidthBytesPerSecond = 1024 * 1024,
            ProgressInterval = TimeSpan.FromMilliseconds(100),
            OnProgress = progress.Add,
        });

        var after = await virsh.GetDefinitionAsync(Guest.Name);
        Assert.Equal(basePath, after.Disk("vda").Source);
        Assert.Empty(after.Disk("vda").BackingChain);
        Assert.Single(await img.BackingChainAsync(basePath, forceShare: true));
        Assert.NotEmpty(progress);
        Assert.All(progress, j => Assert.Equal("commit", j.Type));
        Assert.Contains(progress, j => j.Offset > 0);
        Assert.Empty(await virsh.GetBlockJobsAsync(Guest.Name));
        Assert.Equal("written before the snapshot", await Guest.ReadFileAsync($"/mnt/vda/before-{host}.txt"));
        Assert.Equal(bigSum, await Guest.Sha256Async($"/mnt/vda/big-{host}"));
        await new HostFiles(shell).DeleteFileAsync(overlay);
    }

    [Fact]
    public async Task InnerCommitWithTopAndBase_ThenActiveCommit_FlattensTwoSnapshots()
    {
        var virsh = Guest.Virsh;
        var img = new QemuImg(virsh.Shell);
        var basePath = Guest.RootDiskPath;
        var (s1, s2) = (Path.Combine(fixture.Directory, $"{Guest.Name}-s1.qcow2"), Path.Combine(fixture.Directory, $"{Guest.Name}-s2.qcow2"));
        await virsh.CreateDiskSnapshotAsync(Guest.Name, [DiskSnapshotSpec.External("vda", s1), DiskSnapshotSpec.Excluded("vdb")]);
        await Guest.WriteFileAsync("/mnt/vda/in-s1.txt", "s1");
        await virsh.CreateDiskSnapshotAsync(Guest.Name, [DiskSnapshotSpec.External("vda", s2), DiskSnapshotSpec.Excluded("vdb")]);
        await Guest.WriteFileAsync("/mnt/vda/in-s2.txt", "s2");
        Assert.Equal([s2, s1, basePath], (await img.BackingChainAsync(s2, forceShare: true)).Select(i => i.Filename));

        await virsh.BlockCommitAsync(Guest.Name, "vda", new BlockCommitOptions { Top = s1, Base = basePath });

        Assert.Equal([s2, basePath], (await img.BackingChainAsync(s2, forceShare: true)).Select(i => i.Filename));
        await virsh.BlockCommitAsync(Guest.Name, "vda");
        Assert.Equal(basePath, (await virsh.GetDefinitionAsync(Guest.Name)).Disk("vda").Source);
        Assert.Equal(("s1", "s2"), (await Guest.ReadFileAsync("/mnt/vda/in-s1.txt"), await Guest.ReadFileAsync("/mnt/vda/in-s2.txt")));
        File.Delete(s1);
        File.Delete(s2);
    }

    [Fact]
    public async Task BlockCommitOverItsTimeLimit_IsAborted_AndLeavesTheChainAsItWas()
    {
        var virsh = Guest.Virsh;
        var img = new QemuImg(virsh.Shell);
        var basePath = Guest.RootDiskPath;
        var overlay = Path.Combine(fixture.Directory, $"{Guest.Name}-slow.qcow2");
        await virsh.CreateDiskSnapshotAsync(Guest.Name, [DiskSnapshotSpec.External("vda", overlay), DiskSnapshotSpec.Excluded("vdb")]);
        await Guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/slow bs=1M count=2 2>/dev/null && sync");
        var sum = await Guest.Sha256Async("/mnt/vda/slow");

        // 2 MiB at 64 KiB/s takes half a minute: the 1 s limit aborts it.
        var e = await Assert.ThrowsAsync<TimeoutException>(() => virsh.BlockCommitAsync(Guest.Name, "vda",
            new BlockCommitOptions { BandwidthBytesPerSecond = 64 * 1024, Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains("aborted", e.Message);
        Assert.Null(await virsh.GetBlockJobAsync(Guest.Name, "vda"));
        Assert.Equal(overlay, (await virsh.GetDefinitionAsync(Guest.Name)).Disk("vda").Source);
        Assert.Equal([overlay, basePath], (await img.BackingChainAsync(overlay, forceShare: true)).Select(i => i.Filename));
        Assert.Equal(sum, await Guest.Sha256Async("/mnt/vda/slow"));

        await virsh.BlockCommitAsync(Guest.Name, "vda");
        Assert.Equal(basePath, (await virsh.GetDefinitionAsync(Guest.Name)).Disk("vda").Source);
        Assert.Equal(sum, await Guest.Sha256Async("/mnt/vda/slow"));
        File.Delete(overlay);
    }

    [Fact]
    public async Task BlockCommitWhileAnEarlierAttemptsCommitRuns_WaitsForThatOne()
    {
        var virsh = Guest.Virsh;
        var basePath = Guest.RootDiskPath;
        var overlay = Path.Combine(fixture.Directory, $"{Guest.Name}-adopted.qcow2");
        await virsh.CreateDiskSnapshotAsync(Guest.Name, [DiskSnapshotSpec.External("vda", overlay), DiskSnapshotSpec.Excluded("vdb")]);
        await Guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/adopted bs=1M count=2 2>/dev/null && sync");
        var sum = await Guest.Sha256Async("/mnt/vda/adopted");
        // The earlier attempt's job: still copying at 1 MiB/s when the retry comes.
        await virsh.RunAsync(["blockcommit", Guest.Name, "vda", "--active", "--bandwidth", "1"]);
        Assert.Equal("commit", (await virsh.GetBlockJobAsync(Guest.Name, "vda"))?.Type);

        await virsh.BlockCommitAsync(Guest.Name, "vda");

        Assert.Null(await virsh.GetBlockJobAsync(Guest.Name, "vda"));
        Assert.Equal(basePath, (await virsh.GetDefinitionAsync(Guest.Name)).Disk("vda").Source);
        Assert.Equal(sum, await Guest.Sha256Async("/mnt/vda/adopted"));
        File.Delete(overlay);
    }

    [Fact]
    public async Task BlockPull_AndAttachDetach_OnAGuestOfItsOwn()
    {
        // Pulling changes which file the guest runs on, so it gets its own guest.
        await using var guest = await TestGuest.CreateAsync("pull", new TestGuestOptions { RootDiskMiB = 32 });
        var virsh = guest.Virsh;
        var img = new QemuImg(virsh.Shell);
        var overlay = Path.Combine(guest.Directory, $"{guest.Name}-pulled.qcow2");
        await guest.WriteFileAsync("/mnt/vda/base.txt", "from the base");
        await virsh.CreateDiskSnapshotAsync(guest.Name, [DiskSnapshotSpec.External("vda", overlay)]);

        await virsh.BlockPullAsync(guest.Name, "vda");

        var chain = await img.BackingChainAsync(overlay, forceShare: true);
        Assert.Null(Assert.Single(chain).BackingFilename);
        Assert.All(await img.MapAsync(overlay, forceShare: true), e => Assert.Equal(0, e.Depth));
        Assert.Equal(overlay, (await virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source);
        Assert.Equal("from the base", await guest.ReadFileAsync("/mnt/vda/base.txt"));

        var extra = Path.Combine(guest.Directory, $"{guest.Name}-vdc.qcow2");
        await new GuestImageBuilder().CreateExt4DiskAsync(extra, 16);
        await virsh.AttachDiskAsync(guest.Name, extra, "vdc", new AttachDiskOptions { Bus = "virtio" });
        Assert.Equal(extra, (await virsh.GetDefinitionAsync(guest.Name)).Disk("vdc").Source);
        // The guest names disks in probe order: its second virtio disk is /dev/vdb whatever libvirt's target says.
        await guest.Agent.ShellAsync("i=0; while [ ! -b /dev/vdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -b /dev/vdb");
        await virsh.DetachDiskAsync(guest.Name, "vdc");
        Assert.DoesNotContain((await virsh.GetDefinitionAsync(guest.Name)).Disks, d => d.Target == "vdc");

        await virsh.ShutdownAsync(guest.Name, mode: "agent", waitFor: TimeSpan.FromSeconds(60));
        Assert.Equal(DomainState.ShutOff, await virsh.GetStateAsync(guest.Name));
    }
}
