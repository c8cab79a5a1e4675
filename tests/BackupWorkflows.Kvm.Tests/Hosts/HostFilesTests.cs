using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Hosts;

/// <summary>HostFiles on paths with spaces, quotes and $ through a given shell.</summary>
public abstract class HostFilesContract : IAsyncLifetime
{
    private string _dir = "";

    protected abstract IHostShell Shell { get; }

    private HostFiles Files => new(Shell);

    public async Task InitializeAsync() =>
        _dir = Path.Combine(await Files.CreateTempDirectoryAsync("bwf-files"), "dir with 'quotes' and $x");

    public async Task DisposeAsync()
    {
        await Files.DeleteDirectoryAsync(Path.GetDirectoryName(_dir)!);
        await Shell.DisposeAsync();
    }

    [Fact]
    public async Task WriteReadSizeHashRenameDelete_RoundTrip()
    {
        await Files.CreateDirectoryAsync(_dir);
        var file = Path.Combine(_dir, "a \"file\".txt");
        var renamed = Path.Combine(_dir, "renamed\nname");

        await Files.WriteTextAsync(file, "hello\n");
        Assert.True(await Files.ExistsAsync(file));
        Assert.Equal(6, await Files.SizeAsync(file));
        Assert.Equal("hello\n", await Files.ReadTextAsync(file));
        Assert.Equal("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
            (await Files.ChecksumAsync(file, FileChecksum.Sha256)).ToString());
        await Files.FsyncAsync(file);

        await Files.RenameAsync(file, renamed);
        Assert.False(await Files.ExistsAsync(file));
        // b3sum --no-names on a name with a newline: the hash alone, as `printf 'hello\n' | b3sum` gives.
        Assert.Equal("blake3:" + Blake3Of("hello\n"), (await Files.ChecksumAsync(renamed, FileChecksum.Blake3)).ToString());
        Assert.Equal(FileChecksum.Blake3, (await Files.ChecksumAsync(renamed)).Algorithm);

        await Files.DeleteFileAsync(renamed);
        Assert.False(await Files.ExistsAsync(renamed));
    }

    [Fact]
    public async Task ChecksumAsync_UnknownAlgorithmOrMissingFile_IsAClearError()
    {
        await Files.CreateDirectoryAsync(_dir);
        var missing = Path.Combine(_dir, "missing");
        await Assert.ThrowsAsync<HostCommandException>(() => Files.ChecksumAsync(missing));
        var file = Path.Combine(_dir, "x");
        await Files.WriteTextAsync(file, "x");
        var e = await Assert.ThrowsAsync<HostCommandException>(() => Files.ChecksumAsync(file, "md5"));
        Assert.Contains("unknown checksum algorithm 'md5'", e.Message);
    }

    /// <summary>BLAKE3 of a text by the reference tool, reading standard input (not our script).</summary>
    private static string Blake3Of(string text)
    {
        var start = new System.Diagnostics.ProcessStartInfo("b3sum", "--no-names")
            { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        var hash = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return hash;
    }

    [Fact]
    public async Task WriteTextAsync_Overwrites_AndLeavesNoTemporaryFile()
    {
        await Files.CreateDirectoryAsync(_dir);
        var file = Path.Combine(_dir, "state.json");

        await Files.WriteTextAsync(file, "first, longer content");
        await Files.WriteTextAsync(file, "naïve");

        Assert.Equal("naïve", await Files.ReadTextAsync(file));
        var listing = await Shell.RunAsync(["ls", "-A", _dir]);
        Assert.Equal("state.json\n", listing.StandardOutput);
    }

    [Fact]
    public async Task CopyAsync_KeepsContent_AndListAsyncNamesAwkwardEntries()
    {
        await Files.CreateDirectoryAsync(_dir);
        var source = Path.Combine(_dir, "source");
        var copy = Path.Combine(_dir, "copy of 'source'\nline two");
        await Files.WriteTextAsync(source, "payload");

        await Files.CopyAsync(source, copy);

        Assert.Equal("payload", await Files.ReadTextAsync(copy));
        Assert.Equal(["copy of 'source'\nline two", "source"], await Files.ListAsync(_dir));
    }

    [Fact]
    public async Task FreeSpaceAsync_IsPositiveAndBelowTheFileSystemSize()
    {
        await Files.CreateDirectoryAsync(_dir);

        var free = await Files.FreeSpaceAsync(_dir);

        var size = long.Parse((await Shell.RunAsync(["df", "--output=size", "-B1", _dir])).StandardOutput.Split('\n')[1].Trim());
        Assert.InRange(free, 1, size);
    }

    [Fact]
    public async Task SizeAsync_MissingFile_ThrowsNamingThePath()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() => Files.SizeAsync(Path.Combine(_dir, "missing")));

        Assert.Contains("missing", error.Message);
        Assert.Equal(Shell.Host, error.Host);
    }
}

public sealed class LocalHostFilesTests : HostFilesContract
{
    protected override IHostShell Shell { get; } = new LocalHostShell();
}

[Collection(SshCollection.Name)]
public sealed class SshHostFilesTests(SshdFixture sshd) : HostFilesContract
{
    protected override IHostShell Shell { get; } = sshd.CreateShell();
}
