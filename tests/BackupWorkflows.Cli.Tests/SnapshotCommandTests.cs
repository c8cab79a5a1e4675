using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Cli.Tests;

/// <summary>
/// <c>bwf snapshot</c> against a real server process and a real guest: bad input refused before
/// anything changes (unknown VM, a disk the VM lacks, revert of a running VM), then create, list,
/// show, revert of the stopped VM and delete, each through the API.
/// </summary>
public sealed class SnapshotCommandTests(CliServer server) : IClassFixture<CliServer>
{
    [Fact]
    public async Task CreateListRevertDelete_AndBadInputChangesNothing()
    {
        await using var guest = await TestGuest.CreateAsync("clisnap");
        var vda = guest.RootDiskPath;

        var unknown = await server.RunAsync("snapshot", "create", "no-such-vm-" + Guid.NewGuid().ToString("N")[..6], "--wait");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No VM named", unknown.Error + unknown.Output);
        var noDisk = await server.RunAsync("snapshot", "create", guest.Name, "--disks", "vdz", "--wait");
        Assert.NotEqual(0, noDisk.ExitCode);
        Assert.Contains("disks", noDisk.Error + noDisk.Output);
        Assert.Contains("no writable disk 'vdz'", noDisk.Error + noDisk.Output);
        Assert.Equal(vda, (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source);

        var created = Json(await server.RunAsync("snapshot", "create", guest.Name, "--name", "c1", "--disks", "vda", "--quiesce", "--wait", "--output", "json"));
        Assert.Equal("Finished", created["status"]?.GetValue<string>());
        var id = created["output"]!["snapshotId"]!.GetValue<string>();
        Assert.True(created["output"]!["quiesced"]!.GetValue<bool>(), "the guest agent answers");

        var listed = Json(await server.RunAsync("snapshot", "list", "--vm", guest.Name, "--output", "json")).AsArray();
        var c1 = Assert.Single(listed)!;
        Assert.Equal(["c1", "Ready", id], new[] { c1["name"]!.GetValue<string>(), c1["state"]!.GetValue<string>(), c1["id"]!.GetValue<string>() });
        var overlay = c1["disks"]![0]!["overlay"]!.GetValue<string>();
        Assert.Equal(vda, c1["disks"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(overlay, (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source);
        var table = await server.RunAsync("snapshot", "show", id);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains(overlay, table.Output);

        var whileRunning = await server.RunAsync("snapshot", "revert", id, "--wait");
        Assert.NotEqual(0, whileRunning.ExitCode);
        Assert.Contains("is running; stop it first", whileRunning.Error + whileRunning.Output);
        Assert.Equal(overlay, (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source);

        await guest.Virsh.DestroyAsync(guest.Name);
        var reverted = Json(await server.RunAsync("snapshot", "revert", id, "--wait", "--output", "json"));
        Assert.Equal("Finished", reverted["status"]?.GetValue<string>());
        var now = (await guest.Virsh.GetDefinitionAsync(guest.Name, inactive: true)).Disk("vda").Source!;
        Assert.Contains(".rev-", now);
        Assert.False(File.Exists(overlay), "the overlay the VM ran on belongs to no snapshot after the revert");

        var deleted = Json(await server.RunAsync("snapshot", "delete", id, "--wait", "--output", "json"));
        Assert.Equal("Deleted", deleted["output"]!["state"]!.GetValue<string>());
        Assert.Equal(vda, (await guest.Virsh.GetDefinitionAsync(guest.Name, inactive: true)).Disk("vda").Source);
        Assert.False(File.Exists(now));
        Assert.Equal(DomainState.ShutOff, await guest.Virsh.GetStateAsync(guest.Name));
    }

    private static JsonNode Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}{result.Output}");
        return JsonNode.Parse(result.Output)!;
    }
}
