using System.Text;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Hosts;

/// <summary>The host-shell contract plus SSH failure handling, run against both SSH clients and a real sshd.</summary>
public abstract class SshShellContract(SshdFixture sshd, string scheme) : HostShellContract, IAsyncLifetime
{
    private readonly IHostShell _shell = sshd.CreateShell(scheme: scheme);

    protected override IHostShell Shell => _shell;

    protected override string ExpectedHost => $"{sshd.User}@127.0.0.1:{sshd.Port}";

    [Fact]
    public async Task RunAsync_ClosedPort_ThrowsUnreachable()
    {
        await using var shell = HostShellFactory.Create($"{scheme}://root@127.0.0.1:1", sshd.IdentityFile, sshd.KnownHostsFile);

        var error = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["true"]));

        Assert.Equal(HostCommandFailure.Unreachable, error.Failure);
        Assert.Contains("root@127.0.0.1:1", error.Message);
        Assert.Contains("Connection refused", error.StandardErrorTail);
    }

    [Fact]
    public async Task RunAsync_UnknownHostKey_IsRefused()
    {
        var emptyKnownHosts = Path.Combine(sshd.Directory, $"empty_known_hosts_{scheme}");
        await File.WriteAllTextAsync(emptyKnownHosts, "");
        await using var shell = HostShellFactory.Create(sshd.HostUriFor(scheme), sshd.IdentityFile, emptyKnownHosts);

        var error = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["true"]));

        Assert.Equal(HostCommandFailure.Unreachable, error.Failure);
        Assert.Contains("Host key verification failed", error.StandardErrorTail);
    }

    [Fact]
    public async Task RunAsync_ConnectionsKilledMidCommand_FailsThenNextCommandReconnects()
    {
        await using var shell = sshd.CreateShell(scheme: scheme);
        var started = Path.Combine(sshd.Directory, $"started-{Guid.NewGuid():N}");
        var running = shell.RunAsync(["sh", "-c", "touch \"$1\"; exec sleep 30", "sh", started]);
        // The sshd is on this machine: wait for the marker.
        await Eventually.UntilAsync(() => File.Exists(started), $"{started} made by the command");

        Assert.True(sshd.KillConnections() > 0);
        var error = await Assert.ThrowsAsync<HostCommandException>(() => running);
        var after = await shell.RunAsync(["echo", "back"]);

        Assert.Equal(HostCommandFailure.Unreachable, error.Failure);
        Assert.Equal("back\n", after.StandardOutput);
    }

    [Fact]
    public async Task DisposingOneShell_DoesNotCutAnotherShellsCommand()
    {
        // The other command runs until released, so it surely runs while the first shell is disposed.
        var started = Path.Combine(sshd.Directory, $"started-{Guid.NewGuid():N}");
        var release = Path.Combine(sshd.Directory, $"release-{Guid.NewGuid():N}");
        await using var other = sshd.CreateShell(scheme: scheme);
        var running = other.RunAsync(
            ["sh", "-c", "touch \"$1\"; while [ ! -e \"$2\" ]; do sleep 0.1; done; echo survived", "sh", started, release],
            new HostCommandOptions { Timeout = TimeSpan.FromSeconds(60) });
        var disposed = sshd.CreateShell(scheme: scheme);
        await disposed.RunAsync(["true"]);
        await Eventually.UntilAsync(() => File.Exists(started), "the other shell's command running");

        await disposed.DisposeAsync();
        await File.WriteAllTextAsync(release, "");

        Assert.Equal("survived\n", (await running).StandardOutput);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _shell.DisposeAsync();
}

[Collection(SshCollection.Name)]
public sealed class SshHostShellTests(SshdFixture sshd) : SshShellContract(sshd, "ssh")
{
    private readonly SshdFixture _sshd = sshd;

    [Fact]
    public async Task RunAsync_CommandLineAtTheLimit_Runs()
    {
        await using var shell = _sshd.CreateShell(scheme: "ssh");
        var payload = PayloadForLineOf(SshHostShell.MaxCommandLineBytes);

        var result = await shell.RunAsync(["printf", "%s", payload]);

        Assert.Equal(payload, result.StandardOutput);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2_000)] // over SSH.NET's packet limit: it refused to send, which read as a lost connection
    [InlineData(200_000)]
    public async Task RunAsync_CommandLineOverTheLimit_IsRefusedBeforeSending(int over)
    {
        await using var shell = new SshHostShell(HostShellFactory.ParseSsh(_sshd.HostUri) with
        {
            IdentityFile = _sshd.IdentityFile, KnownHostsFile = _sshd.KnownHostsFile,
        });

        var error = await Assert.ThrowsAsync<HostCommandException>(() =>
            shell.RunAsync(["printf", "%s", PayloadForLineOf(SshHostShell.MaxCommandLineBytes + over)]));

        // Not a lost connection: refused before connecting, saying why.
        Assert.Equal(HostCommandFailure.StartFailed, error.Failure);
        Assert.Contains($"{SshHostShell.MaxCommandLineBytes + over} bytes", error.StandardErrorTail);
        Assert.Equal(0, shell.Connections);
        Assert.Equal("fine", (await shell.RunAsync(["printf", "fine"])).StandardOutput);
    }

    /// <summary>A printf argument that makes the remote line (wrapper, quoting) exactly <paramref name="lineBytes"/> long.</summary>
    private static string PayloadForLineOf(int lineBytes)
    {
        var bare = Encoding.UTF8.GetByteCount(new RemoteCommand(["printf", "%s", ""], HostCommandOptions.Default, TimeSpan.Zero).Line);
        return new string('x', lineBytes - bare);
    }
}

[Collection(SshCollection.Name)]
public sealed class OpenSshHostShellTests(SshdFixture sshd) : SshShellContract(sshd, "openssh");

[CollectionDefinition(Name)]
public sealed class SshCollection : ICollectionFixture<SshdFixture>
{
    public const string Name = "sshd";
}

[Collection(SshCollection.Name)]
public sealed class SshConnectionSharingTests(SshdFixture sshd)
{
    [Theory]
    [InlineData("ssh")]
    [InlineData("openssh")]
    public async Task ParallelBurstOnAFreshShell_OpensOneConnection(string scheme)
    {
        var before = Accepted();
        await using var shell = sshd.CreateShell(scheme: scheme);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => shell.RunAsync(["echo", $"{i}"])));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"{i}\n"), results.Select(r => r.StandardOutput));
        // sshd logs each authenticated connection; multiplexed sessions (channels) reuse the one.
        Assert.Equal(1, Accepted() - before);
    }

    private int Accepted() => sshd.Log.Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal));
}
