using BackupWorkflows.Cli.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Cli.Tests;

/// <summary><c>bwf demo</c> end to end on this machine's libvirt with the shipped backup and restore workflows.</summary>
[Collection(CliServerCollection.Name)]
public sealed class DemoTests(CliServer server)
{
    [Fact]
    public async Task Demo_BacksUpChangesBacksUpIncrementallyRestoresAndValidates()
    {
        try
        {
            var demo = await server.RunAsync("demo");
            Assert.True(demo.ExitCode == 0, demo.Error + demo.Output);
            Assert.Contains("Backup 2 (incremental)", demo.Output);
            Assert.Contains("Demo done.", demo.Output);
            var backups = await server.RunAsync("backup", "list", "--vm", "bwf-demo");
            Assert.Contains("full", backups.Output);
            Assert.Contains("incremental", backups.Output);
        }
        finally
        {
            foreach (var vm in new[] { "bwf-demo", "bwf-demo-restored" })
            {
                try { await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "destroy", vm); } catch (InvalidOperationException) { }
                try { await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "undefine", vm); } catch (InvalidOperationException) { }
            }
            if (Directory.Exists("/var/tmp/bwf-demo")) Directory.Delete("/var/tmp/bwf-demo", recursive: true);
        }
    }
}
