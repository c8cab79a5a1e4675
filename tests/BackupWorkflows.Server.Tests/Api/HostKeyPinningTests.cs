using System.Net;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Server.Tests.Api;

/// <summary>POST /api/hosts reads a real sshd's key and pins it only when the admin vouches for it.</summary>
public sealed class HostKeyPinningTests(ServerFactory server, SshdFixture sshd) : IClassFixture<ServerFactory>, IClassFixture<SshdFixture>
{
    private static string NewName() => $"pin-{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Add_MatchingHostKey_PinsIt()
    {
        var name = NewName();

        var added = await (await server.Admin().PostJsonAsync("/api/hosts", new { name, uri = sshd.HostUri, hostKey = sshd.HostKeyFingerprint }))
            .OkJsonAsync();

        Assert.Equal(sshd.HostKeyFingerprint, added["hostKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task Add_KnownHostsHoldingTheKey_PinsIt()
    {
        var added = await (await server.Admin().PostJsonAsync("/api/hosts", new { name = NewName(), uri = sshd.HostUri, knownHostsFile = sshd.KnownHostsFile }))
            .OkJsonAsync();

        Assert.Equal(sshd.HostKeyFingerprint, added["hostKey"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, false, "hostKey", "is required to trust")]
    [InlineData("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "hostKey", "does not match")]
    [InlineData("ab:cd", false, "hostKey", "'SHA256:' and 43 base64 characters")]
    [InlineData(null, true, "knownHostsFile", "does not hold")]
    public async Task Add_KeyNotVouchedFor_Is400NamingTheField_AndAddsNothing(string? hostKey, bool otherKnownHosts, string field, string says)
    {
        var name = NewName();
        string? knownHosts = null;
        if (otherKnownHosts)
        {
            knownHosts = Path.Combine(sshd.Directory, $"other_known_hosts_{name}");
            await File.WriteAllTextAsync(knownHosts, "other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbVwj0MmtlxpX6uJ6VSZyC4Ua+8kwbAhO4Hdj8e9r5C\n");
        }

        var problem = await (await server.Admin().PostJsonAsync("/api/hosts", new { name, uri = sshd.HostUri, hostKey, knownHostsFile = knownHosts }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var message = problem["errors"]![field]![0]!.GetValue<string>();
        Assert.Contains(says, message);
        if (hostKey is null || hostKey.StartsWith("SHA256:", StringComparison.Ordinal)) Assert.Contains(sshd.HostKeyFingerprint, message);
        var hosts = await (await server.Admin().GetAsync("/api/hosts")).OkJsonAsync();
        Assert.DoesNotContain(hosts.AsArray(), h => h!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task Add_UnreachableHost_Is400OnUri()
    {
        var problem = await (await server.Admin().PostJsonAsync("/api/hosts", new { name = NewName(), uri = "ssh://root@127.0.0.1:1", hostKey = sshd.HostKeyFingerprint }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("Connection refused", problem["errors"]!["uri"]![0]!.GetValue<string>());
    }
}
