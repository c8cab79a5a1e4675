using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Tests.Hosts;

[Trait("Category", "Unit")]
public sealed class HostShellFactoryTests
{
    [Theory]
    [InlineData("local")]
    [InlineData("LOCAL")]
    public void Create_Local_GivesLocalShell(string uri) =>
        Assert.IsType<LocalHostShell>(Assert.IsType<MeteredHostShell>(HostShellFactory.Create(uri)).Inner);

    [Theory]
    [InlineData("ssh://root@host.example", "root", "host.example", 22)]
    [InlineData("ssh://backup@10.0.0.5:2222", "backup", "10.0.0.5", 2222)]
    [InlineData("ssh://u@[::1]:2200", "u", "::1", 2200)]
    [InlineData("ssh://root@kvm-01/", "root", "kvm-01", 22)]
    public void ParseSsh_ValidAddress_GivesUserHostPort(string uri, string user, string host, int port)
    {
        var options = HostShellFactory.ParseSsh(uri);

        Assert.Equal((user, host, port), (options.User, options.HostName, options.Port));
    }

    [Fact]
    public void Create_Ssh_CarriesKeyFilesAndNamesTheHost()
    {
        var shell = Assert.IsType<SshHostShell>(Assert.IsType<MeteredHostShell>(HostShellFactory.Create("ssh://root@kvm:2022", "/k/id", "/k/known")).Inner);

        Assert.Equal("root@kvm:2022", shell.Host);
        Assert.Equal(("/k/id", "/k/known"), (shell.Options.IdentityFile, shell.Options.KnownHostsFile));
    }

    [Fact]
    public void Create_OpenSsh_UsesTheOpenSshClientWithThePin()
    {
        var shell = Assert.IsType<OpenSshHostShell>(Assert.IsType<MeteredHostShell>(
            HostShellFactory.Create("openssh://root@kvm:2022", "/k/id", "/k/known")).Inner);
        var pinned = Assert.IsType<SshHostShell>(Assert.IsType<MeteredHostShell>(
            HostShellFactory.Create("ssh://root@kvm", hostKeyFingerprint: "SHA256:abc", identityPassphrase: "pw")).Inner);

        Assert.Equal("root@kvm:2022", shell.Host);
        Assert.Equal(("SHA256:abc", "pw", 22), (pinned.Options.HostKeyFingerprint, pinned.Options.IdentityPassphrase, pinned.Options.Port));
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("kvm-01", "neither")]
    [InlineData("http://root@kvm", "neither")]
    [InlineData("ssh://kvm-01", "no user")]
    [InlineData("ssh://root:secret@kvm-01", "password")]
    [InlineData("ssh://root@kvm-01/var/lib", "path")]
    [InlineData("ssh://root@kvm-01?x=1", "path")]
    [InlineData("ssh://root@kvm-01:99999", "not a valid URI")]
    [InlineData("ssh://-oProxyCommand=x@kvm", "invalid user")]
    [InlineData("ssh://root@", "not a valid URI")]
    [InlineData("ssh://root@kvm:22\n", "control characters")]
    [InlineData("ssh://root@kvm:22 ", "spaces")]
    [InlineData("ssh://root@kvm:", "empty port")]
    [InlineData("ssh://root@kvm:/", "empty port")]
    [InlineData("openssh://root@kvm:/", "empty port")]
    [InlineData("openssh://kvm-01", "no user")]
    [InlineData("ssh://a'b@kvm", "invalid user")]
    [InlineData("ssh://a\"b@kvm", "invalid user")]
    [InlineData("ssh://a;b@kvm", "invalid user")]
    [InlineData("ssh://a$b@kvm", "invalid user")]
    [InlineData("ssh://a*b@kvm", "invalid user")]
    [InlineData("ssh://~root@kvm", "invalid user")]
    [InlineData("ssh://a%3Btouch%20x@kvm", "invalid user")]
    [InlineData("ssh://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@kvm", "invalid user")]
    public void Create_BadAddress_ThrowsFormatExceptionSayingWhy(string uri, string reason)
    {
        var error = Assert.Throws<FormatException>(() => HostShellFactory.Create(uri));

        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SshArguments_EndWithHostThenOneQuotedCommandLine()
    {
        var shell = new OpenSshHostShell(new SshHostOptions { User = "root", HostName = "kvm", Port = 2022, IdentityFile = "/id", KnownHostsFile = "/kh" });

        var args = shell.BuildSshArguments(PosixShell.Join(["ls", "a b"]));

        Assert.Equal(["--", "kvm", "'ls' 'a b'"], args.TakeLast(3));
        Assert.Contains("StrictHostKeyChecking=yes", args);
        Assert.Contains("BatchMode=yes", args);
        Assert.Contains("UserKnownHostsFile=/kh", args);
        Assert.Equal("/id", args[args.ToList().IndexOf("-i") + 1]);
    }
}
