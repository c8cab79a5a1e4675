using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Hosts;

/// <summary>SSH.NET host-key checks and private keys against the real sshd.</summary>
[Collection(SshCollection.Name)]
public sealed class HostKeyTrustTests(SshdFixture sshd)
{
    private string HostKeyLine => File.ReadAllText(Path.Combine(sshd.Directory, "host_ed25519.pub")).Trim();

    private string Address => $"[127.0.0.1]:{sshd.Port.ToString(CultureInfo.InvariantCulture)}";

    private SshHostShell Shell(string? knownHosts = null, string? pin = null, string? identity = null, string? passphrase = null) =>
        new(HostShellFactory.ParseSsh(sshd.HostUri) with
        {
            IdentityFile = identity ?? sshd.IdentityFile, KnownHostsFile = knownHosts ?? sshd.KnownHostsFile,
            HostKeyFingerprint = pin, IdentityPassphrase = passphrase,
        });

    private async Task<string> KnownHostsAsync(string content)
    {
        var file = Path.Combine(sshd.Directory, $"known_hosts_{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, content);
        return file;
    }

    [Fact]
    public async Task PinnedKey_Matching_RunsCommands()
    {
        await using var shell = Shell(knownHosts: await KnownHostsAsync(""), pin: sshd.HostKeyFingerprint);

        Assert.Equal("ok\n", (await shell.RunAsync(["echo", "ok"])).StandardOutput);
    }

    [Fact]
    public async Task PinnedKey_Changed_StopsEveryCommand_NamingHostAndBothFingerprints()
    {
        const string pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        await using var shell = Shell(pin: pinned);

        var first = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["true"]));
        var second = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["echo", "again"]));

        foreach (var error in new[] { first, second })
        {
            Assert.Equal(HostCommandFailure.Unreachable, error.Failure);
            Assert.Contains($"the key of host '{sshd.User}@127.0.0.1:{sshd.Port}' changed", error.Message);
            Assert.Contains(sshd.HostKeyFingerprint, error.Message);
            Assert.Contains(pinned, error.Message);
        }

        Assert.Equal(0, shell.Connections);
    }

    [Fact]
    public async Task KnownHosts_HashedEntry_IsTrusted()
    {
        var file = await KnownHostsAsync($"{Address} {HostKeyLine}\n");
        await ProcessUtil.RunAsync("ssh-keygen", "-q", "-H", "-f", file);
        Assert.StartsWith("|1|", await File.ReadAllTextAsync(file));
        await using var shell = Shell(knownHosts: file);

        Assert.Equal("ok\n", (await shell.RunAsync(["echo", "ok"])).StandardOutput);
    }

    [Fact]
    public async Task KnownHosts_RevokedKey_IsRefusedEvenWhenAlsoListed()
    {
        var file = await KnownHostsAsync($"{Address} {HostKeyLine}\n@revoked * {HostKeyLine}\n");
        await using var shell = Shell(knownHosts: file);

        var error = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["true"]));

        Assert.Contains("marks @revoked", error.Message);
        Assert.Contains(sshd.HostKeyFingerprint, error.Message);
    }

    [Fact]
    public async Task KnownHosts_OtherKeyForTheHost_IsAChangedKey_NamingBothFingerprints()
    {
        var other = await OtherKeyAsync();
        var file = await KnownHostsAsync($"{Address} {other.Line}\n");
        await using var shell = Shell(knownHosts: file);

        var error = await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["true"]));

        Assert.Contains("changed", error.Message);
        Assert.Contains(sshd.HostKeyFingerprint, error.Message);
        Assert.Contains(other.Fingerprint, error.Message);
    }

    [Fact]
    public async Task PrivateKey_WithPassphrase_WorksWithItAndFailsClearlyWithoutIt()
    {
        var key = Path.Combine(sshd.Directory, $"client_pw_{Guid.NewGuid():N}"[..20]);
        await ProcessUtil.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret pass", "-C", "bwf-test-pw", "-f", key);
        await File.AppendAllTextAsync(Path.Combine(sshd.Directory, "authorized_keys"), await File.ReadAllTextAsync(key + ".pub"));
        await using var good = Shell(identity: key, passphrase: "s3cret pass");
        await using var bad = Shell(identity: key, passphrase: "wrong");

        Assert.Equal("ok\n", (await good.RunAsync(["echo", "ok"])).StandardOutput);
        var error = await Assert.ThrowsAsync<HostCommandException>(() => bad.RunAsync(["true"]));
        Assert.Equal(HostCommandFailure.Unreachable, error.Failure);
        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("kvm-1", "kvm-1", true)]
    [InlineData("KVM-1", "kvm-1", true)]
    [InlineData("kvm-*", "kvm-17", true)]
    [InlineData("kvm-?", "kvm-17", false)]
    [InlineData("a,b,[10.0.0.2]:2222", "[10.0.0.2]:2222", true)]
    [InlineData("[10.0.0.2]:2222", "10.0.0.2", false)]
    [InlineData("kvm-*,!kvm-9", "kvm-9", false)]
    [InlineData("*", "anything", true)]
    public void Matches_PlainPatterns(string hosts, string name, bool expected) =>
        Assert.Equal(expected, KnownHosts.Matches(hosts, name));

    [Fact]
    public void Matches_HashedName_OnlyThatName()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes("[kvm-1]:2222")))}";

        Assert.True(KnownHosts.Matches(hashed, "[kvm-1]:2222"));
        Assert.False(KnownHosts.Matches(hashed, "kvm-1"));
    }

    private async Task<(string Line, string Fingerprint)> OtherKeyAsync()
    {
        var key = Path.Combine(sshd.Directory, $"other_{Guid.NewGuid():N}"[..16]);
        await ProcessUtil.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
        var line = (await File.ReadAllTextAsync(key + ".pub")).Trim();
        return (line, KnownHosts.Fingerprint(Convert.FromBase64String(line.Split(' ')[1])));
    }
}
