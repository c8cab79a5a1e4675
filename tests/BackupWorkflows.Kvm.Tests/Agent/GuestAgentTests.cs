using System.Security.Cryptography;
using System.Text;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Ssh;
using Xunit.Abstractions;

namespace BackupWorkflows.Kvm.Tests.Agent;

[Collection(GuestCollection.Name)]
public sealed class GuestAgentTests(KvmGuestFixture fixture, SshdFixture sshd, ITestOutputHelper output)
{
    private TestGuest Guest => fixture.Guest;

    public static TheoryData<string> Hosts => new() { "local", "ssh" };

    [Fact]
    public void Guest_BootFigures_AreReported()
    {
        output.WriteLine($"image: {Guest.Image.KernelPackage}, recipe {Guest.Image.RecipeHash}, " +
            $"built in {Guest.Image.BuildDuration.TotalSeconds:F1} s (from cache: {Guest.Image.FromCache})");
        output.WriteLine($"boot to agent-ready: {Guest.BootDuration.TotalSeconds:F1} s");
        Assert.True(Guest.BootDuration > TimeSpan.Zero);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task TryPingAsync_TrueForTheRunningAgent_FalseForADomainWithout(string host)
    {
        await using var shell = Shell(host);

        Assert.True(await Agent(shell).TryPingAsync());
        // A defined but stopped domain has no agent to answer: false, not an exception.
        var stopped = $"{Guest.Name}-noagent";
        var virsh = new Virsh(shell);
        await virsh.DefineAsync($"<domain type='qemu'><name>{stopped}</name><memory unit='MiB'>32</memory><os><type>hvm</type></os><metadata>{TestGuest.OwnerMetadata()}</metadata></domain>");
        try
        {
            Assert.False(await new GuestAgent(virsh, stopped).TryPingAsync());
        }
        finally
        {
            await virsh.UndefineAsync(stopped);
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task WriteFileAsync_ThenChecksumInGuest_MatchesTheBytes(string host)
    {
        await using var shell = Shell(host);
        var agent = Agent(shell);
        var content = new byte[200_000];
        new Random(7).NextBytes(content);
        var path = $"/mnt/vda/agent-{host}.bin";

        await agent.WriteFileAsync(path, content);
        var sum = (await agent.ShellAsync("sha256sum \"$1\"", [path])).Split(' ')[0];
        var back = await agent.ReadFileAsync(path);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), sum);
        Assert.Equal(content, back);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task ExecAsync_ReturnsExitCodeAndOutputs_WithAwkwardArguments(string host)
    {
        await using var shell = Shell(host);
        string[] awkward = ["a b", "it's", "$HOME", "`id`", "naïve", ""];

        var printed = await Agent(shell).ExecAsync("/bin/printf", ["%s\\0", .. awkward]);
        var failed = await Agent(shell).ExecAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]);

        Assert.Equal(0, printed.ExitCode);
        Assert.Equal(awkward, printed.StandardOutput.Split('\0')[..^1]);
        Assert.Equal((3, "out\n", "err\n"), (failed.ExitCode, failed.StandardOutput, failed.StandardError));
    }

    [Fact]
    public async Task ShellAsync_NonZeroExit_ThrowsWithStandardError()
    {
        var error = await Assert.ThrowsAsync<GuestExecException>(() => Guest.Agent.ShellAsync("echo nope >&2; exit 9"));

        Assert.Equal(9, error.Result!.ExitCode);
        Assert.Contains("nope", error.Message);
        Assert.Contains(Guest.Name, error.Message);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Freeze_Status_Thaw(string host)
    {
        await using var shell = Shell(host);
        var agent = Agent(shell);
        int frozen;
        FreezeStatus during;
        try
        {
            frozen = await agent.FreezeAsync();
            during = await agent.GetFreezeStatusAsync();
        }
        finally
        {
            await agent.ThawAsync();
        }

        Assert.True(frozen >= 1, $"froze {frozen} file systems");
        Assert.Equal(FreezeStatus.Frozen, during);
        Assert.Equal(FreezeStatus.Thawed, await agent.GetFreezeStatusAsync());
        await Guest.WriteFileAsync("/mnt/vda/after-thaw.txt", "writable");
    }

    [Fact]
    public async Task TestGuest_FileHelpers_RoundTrip()
    {
        await Guest.WriteFileAsync("/mnt/vdb/hello.txt", "hello\n");

        Assert.Equal("hello\n", await Guest.ReadFileAsync("/mnt/vdb/hello.txt"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hello\n"))), await Guest.Sha256Async("/mnt/vdb/hello.txt"));
        Assert.Contains("/mnt/vdb/hello.txt", await Guest.ListFilesAsync("/mnt/vdb"));
    }

    [Fact]
    public async Task AgentCommand_OnMissingDomain_ThrowsNamingHostAndCommand()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() => new GuestAgent(Guest.Virsh, "bwf-no-such-domain").PingAsync());

        Assert.Equal("local", error.Host);
        Assert.Contains("'qemu-agent-command' 'bwf-no-such-domain'", error.Message);
    }

    private IHostShell Shell(string host) => host == "local" ? new LocalHostShell() : sshd.CreateShell();

    private GuestAgent Agent(IHostShell shell) => new(new Virsh(shell), Guest.Name);
}
