using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class HostKeyCommandTests(CliServer server, SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task HostAdd_Ssh_ShowsTheHostsFingerprint_AndPinsOnlyTheMatchingKey()
    {
        var name = $"pin-{Guid.NewGuid():N}"[..10];

        var shown = await server.RunAsync("host", "add", name, "--uri", sshd.HostUri, "--identity", sshd.IdentityFile);
        var wrong = await server.RunAsync("host", "add", name, "--uri", sshd.HostUri, "--host-key", "SHA256:" + new string('A', 43));
        var added = await server.RunAsync("host", "add", name, "--uri", sshd.HostUri, "--identity", sshd.IdentityFile,
            "--host-key", sshd.HostKeyFingerprint, "-o", "json");

        Assert.Equal(1, shown.ExitCode);
        Assert.Contains($"hostKey: is required to trust {sshd.User}@127.0.0.1:{sshd.Port}: it presents the ssh-ed25519 key {sshd.HostKeyFingerprint}", shown.Error);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"hostKey: does not match: {sshd.User}@127.0.0.1:{sshd.Port} presents the ssh-ed25519 key {sshd.HostKeyFingerprint}", wrong.Error);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal(sshd.HostKeyFingerprint, JsonNode.Parse(added.Output)!["hostKey"]!.GetValue<string>());
        Assert.Equal(0, (await server.RunAsync("host", "remove", name)).ExitCode);
    }
}
