using System.Net;
using System.Net.Sockets;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Servers;

namespace BackupWorkflows.Cli.Tests;

/// <summary><c>bwf server</c> run as a real process, as a user or a supervisor would.</summary>
public sealed class ServerCommandTests
{
    [Fact]
    public async Task BwfServer_BecomesTheServer_SoASigkillLeavesNoServerAndFreesThePort()
    {
        var data = Path.Combine(Path.GetTempPath(), "bwf-server-command-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var server = await ServerProcess.StartAsync(new ServerProcessOptions
            {
                DataDirectory = data,
                Launch = [Path.Combine(AppContext.BaseDirectory, "bwf.dll"), "server"],
            });
            var port = new Uri(server.Url).Port;
            // The pid bwf was started as now runs the server itself (bwf exec'd it), and only that process holds the data directory.
            var commandLine = await File.ReadAllTextAsync($"/proc/{server.Pid}/cmdline");
            Assert.Contains("BackupWorkflows.Server.dll", commandLine);
            Assert.Equal([server.Pid], ProcessUtil.WithArgumentContaining(data));

            server.Kill(entireTree: false);

            Assert.Empty(ProcessUtil.WithArgumentContaining(data));
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
