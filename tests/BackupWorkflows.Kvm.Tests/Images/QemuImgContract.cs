using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Images;

/// <summary>qemu-img on real images in a directory whose name has spaces and quotes.</summary>
public abstract class QemuImgContract : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private string _root = "";

    protected abstract IHostShell Shell { get; }

    private QemuImg Img => new(Shell);

    private string Dir => Path.Combine(_root, "vm 'disks' $1");

    public async Task InitializeAsync()
    {
        _root = await new HostFiles(Shell).CreateTempDirectoryAsync("bwf-img");
        await new HostFiles(Shell).CreateDirectoryAsync(Dir);
    }

    public async Task DisposeAsync()
    {
        await new HostFiles(Shell).DeleteDirectoryAsync(_root);
        await Shell.DisposeAsync();
    }

    [Fact]
    public async Task CreateAndInfo_DescribeTheNewImage()
    {
        var path = P("base.qcow2");

        await Img.CreateAsync(path, "qcow2", 64 * MiB);
        var info = await Img.InfoAsync(path);

        Assert.Equal(("qcow2", 64 * MiB, 65536L), (info.Format, info.VirtualSize, info.ClusterSize));
        Assert.Null(info.BackingFilename);
        Assert.Equal(false, info.Corrupt);
    }

    [Fact]
    public async Task BackingChainAsync_ListsTopThenBase()
    {
        var (basePath, top) = (P("base.qcow2"), P("top.qcow2"));
        await Img.CreateAsync(basePath, "qcow2", 16 * MiB);
        await Img.CreateAsync(top, "qcow2", backingFile: basePath, backingFormat: "qcow2");

        var chain = await Img.BackingChainAsync(top, forceShare: true);

        Assert.Equal(2, chain.Count);
        Assert.Equal((basePath, basePath, "qcow2"), (chain[0].BackingFilename, chain[0].FullBackingFilename, chain[0].BackingFormat));
        Assert.Null(chain[1].BackingFilename);
        Assert.Equal(16 * MiB, chain[0].VirtualSize);
    }

    [Fact]
    public async Task ConvertAsync_ZstdCompressed_KeepsContentAndReportsProgress()
    {
        var (source, target) = (P("source.qcow2"), P("packed.qcow2"));
        await Img.CreateAsync(source, "qcow2", 32 * MiB);
        await WriteAsync(source, 0xab, 0, 4 * MiB);
        var progress = new List<double>();

        await Img.ConvertAsync(source, target, new ConvertOptions
        {
            SourceFormat = "qcow2", Compress = true, CompressionType = "zstd", Coroutines = 2, OutOfOrderWrites = true,
            RateLimitBytesPerSecond = 1024 * MiB, OnProgress = progress.Add,
        });

        var info = await Img.InfoAsync(target);
        Assert.Equal("zstd", info.CompressionType);
        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(source, target));
        Assert.Equal(100.0, progress.Last());
        Assert.True(progress.SequenceEqual(progress.Order()), "progress never goes back");
    }

    [Fact]
    public async Task ConvertAsync_CacheNone_WritesPastThePageCache()
    {
        var (source, target) = (P("source.qcow2"), P("direct.qcow2"));
        await Img.CreateAsync(source, "qcow2", 64 * MiB);
        await WriteAsync(source, 0x5a, 0, 32 * MiB);

        await Img.ConvertAsync(source, target, new ConvertOptions { SourceFormat = "qcow2", TargetCacheMode = "none", OutOfOrderWrites = true });

        // fincore: bytes of the file resident in the page cache. O_DIRECT writes leave (almost) none.
        // (Before the compare, which reads the copy through the cache.)
        var resident = long.Parse((await Shell.RunAsync(["fincore", "--bytes", "--noheadings", "--output", "RES", target])).StandardOutput.Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(resident < 4 * MiB, $"{resident} bytes of the copy are in the page cache");
        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(source, target));
    }

    [Fact]
    public async Task CompareAsync_DifferentData_IsDifferent()
    {
        var (a, b) = (P("a.qcow2"), P("b.qcow2"));
        await Img.CreateAsync(a, "qcow2", 8 * MiB);
        await Img.CreateAsync(b, "qcow2", 8 * MiB);
        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(a, b));

        await WriteAsync(b, 0x01, 3 * MiB, 65536);

        Assert.Equal(ImageComparison.Different, await Img.CompareAsync(a, b));
    }

    [Fact]
    public async Task ConvertAsync_WithBackingFile_WritesOnlyTheDeltaOntoTheParent()
    {
        // An incremental: the delta (top over base) copied onto a copy of its parent backup.
        var (basePath, top, parentBackup, incremental) = (P("base.qcow2"), P("top.qcow2"), P("parent.qcow2"), P("incr.qcow2"));
        await Img.CreateAsync(basePath, "qcow2", 16 * MiB);
        await WriteAsync(basePath, 0x11, 0, 8 * MiB);
        await Img.CreateAsync(top, "qcow2", backingFile: basePath, backingFormat: "qcow2");
        await WriteAsync(top, 0x22, 1 * MiB, 1 * MiB);
        await Img.ConvertAsync(basePath, parentBackup, new ConvertOptions { SourceFormat = "qcow2" });

        await Img.ConvertAsync(top, incremental, new ConvertOptions
        {
            SourceFormat = "qcow2", BackingFile = parentBackup, BackingFormat = "qcow2", Compress = true, CompressionType = "zstd",
        });

        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(top, incremental));
        Assert.Equal(parentBackup, (await Img.InfoAsync(incremental)).BackingFilename);
        var ownData = (await Img.MapAsync(incremental)).Where(e => e.Depth == 0 && e.Data).Sum(e => e.Length);
        Assert.Equal(1 * MiB, ownData);
    }

    [Fact]
    public async Task RebaseUnsafeAsync_OnlyChangesTheRecordedBackingFile()
    {
        var (basePath, copy, top) = (P("base.qcow2"), P("base copy.qcow2"), P("top.qcow2"));
        await Img.CreateAsync(basePath, "qcow2", 8 * MiB);
        await WriteAsync(basePath, 0x33, 0, 2 * MiB);
        await Img.ConvertAsync(basePath, copy, new ConvertOptions { SourceFormat = "qcow2" });
        await Img.CreateAsync(top, "qcow2", backingFile: basePath, backingFormat: "qcow2");
        await WriteAsync(top, 0x44, 4 * MiB, 1 * MiB);

        await Img.RebaseUnsafeAsync(top, copy, "qcow2", "qcow2");
        await Shell.RunAsync(["rm", basePath]);

        var chain = await Img.BackingChainAsync(top);
        Assert.Equal(copy, chain[0].BackingFilename);
        Assert.Equal(2, chain.Count);
        var map = await Img.MapAsync(top);
        Assert.Contains(map, e => e.Start == 0 && e.Depth == 1 && e.Data);
        Assert.Contains(map, e => e.Start == 4 * MiB && e.Depth == 0 && e.Data);
    }

    [Fact]
    public async Task CommitAsync_MovesTheTopDataIntoTheBase()
    {
        var (basePath, top) = (P("base.qcow2"), P("top.qcow2"));
        await Img.CreateAsync(basePath, "qcow2", 8 * MiB);
        await Img.CreateAsync(top, "qcow2", backingFile: basePath, backingFormat: "qcow2");
        await WriteAsync(top, 0x55, 2 * MiB, 1 * MiB);
        var before = await Img.CompareAsync(basePath, top);
        var progress = new List<double>();

        await Img.CommitAsync(top, basePath, "qcow2", progress.Add);

        Assert.Equal(ImageComparison.Different, before);
        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(basePath, top));
        Assert.Contains(await Img.MapAsync(basePath), e => e.Start <= 2 * MiB && e.Start + e.Length >= 3 * MiB && e.Data);
        Assert.Equal(100.0, progress.Last());
    }

    [Fact]
    public async Task CommitAsync_KeepTop_LeavesTheTopsDataInPlace()
    {
        var (basePath, top) = (P("base.qcow2"), P("top.qcow2"));
        await Img.CreateAsync(basePath, "qcow2", 8 * MiB);
        await Img.CreateAsync(top, "qcow2", backingFile: basePath, backingFormat: "qcow2");
        await WriteAsync(top, 0x5a, 0, 1 * MiB);

        await Img.CommitAsync(top, format: "qcow2", keepTop: true);

        Assert.Contains(await Img.MapAsync(top), e => e.Depth == 0 && e.Data);
        Assert.Equal(ImageComparison.Identical, await Img.CompareAsync(basePath, top, firstFormat: "qcow2", secondFormat: "qcow2"));
    }

    [Fact]
    public async Task CheckAsync_HealthyImage_IsHealthy_AndUncheckableFormatThrows()
    {
        var (qcow, raw) = (P("ok.qcow2"), P("disk.raw"));
        await Img.CreateAsync(qcow, "qcow2", 8 * MiB);
        await WriteAsync(qcow, 0x66, 0, 1 * MiB);
        await Img.CreateAsync(raw, "raw", 1 * MiB);

        var check = await Img.CheckAsync(qcow, "qcow2");
        var error = await Assert.ThrowsAsync<HostCommandException>(() => Img.CheckAsync(raw, "raw"));

        Assert.True(check.IsHealthy);
        Assert.Equal((0L, 0L), (check.Corruptions, check.Leaks));
        Assert.True(check.AllocatedClusters >= 16);
        Assert.Equal(63, error.ExitCode);
        Assert.Equal(Shell.Host, error.Host);
        Assert.Contains("does not support checks", error.Message);
    }

    [Fact]
    public async Task CheckAsync_CorruptedImage_ReportsCorruptions()
    {
        var path = P("broken.qcow2");
        await Img.CreateAsync(path, "qcow2", 8 * MiB);
        await WriteAsync(path, 0x77, 0, 1 * MiB);
        // Zero the first refcount block: every allocated cluster now has refcount 0.
        var map = await Img.MapAsync(path);
        var refcountBlock = 2 * 65536L;
        await Shell.RunAsync(["dd", "if=/dev/zero", $"of={path}", "bs=65536", $"seek={refcountBlock / 65536}", "count=1", "conv=notrunc", "status=none"]);

        var check = await Img.CheckAsync(path, "qcow2");

        Assert.NotEmpty(map);
        Assert.False(check.IsHealthy);
        Assert.True(check.Corruptions > 0);
    }

    [Fact]
    public async Task MeasureAsync_CoversTheWrittenData()
    {
        var path = P("m.qcow2");
        await Img.CreateAsync(path, "qcow2", 64 * MiB);
        await WriteAsync(path, 0x12, 0, 4 * MiB);

        var measure = await Img.MeasureAsync(path, "qcow2", "qcow2");

        Assert.InRange(measure.Required, 4 * MiB, 8 * MiB);
        Assert.True(measure.FullyAllocated >= 64 * MiB);
    }

    [Fact]
    public async Task InfoAsync_MissingImage_ThrowsNamingHostAndCommand()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() => Img.InfoAsync(P("missing.qcow2")));

        Assert.Equal(Shell.Host, error.Host);
        Assert.Contains("'qemu-img' 'info'", error.Message);
        Assert.Contains("missing.qcow2", error.StandardErrorTail);
    }

    private string P(string name) => Path.Combine(Dir, name);

    private Task WriteAsync(string image, byte pattern, long offset, long length) =>
        Shell.RunAsync(["qemu-io", "-f", "qcow2", "-c", $"write -P 0x{pattern:x2} {offset} {length}", image]);
}

public sealed class LocalQemuImgTests : QemuImgContract
{
    protected override IHostShell Shell { get; } = new LocalHostShell();
}

[Collection(Hosts.SshCollection.Name)]
public sealed class SshQemuImgTests(SshdFixture sshd) : QemuImgContract
{
    protected override IHostShell Shell { get; } = sshd.CreateShell();
}
