using System.Text.Json.Nodes;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Server.Tests.Guests;

/// <summary>A backup through the API of a real guest whose agent freezes its file systems but refuses to thaw them.</summary>
public sealed class ThawFailureTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task Backup_WhenThawFails_IsCleanedUp_AndTheIncidentSaysTheGuestMayBeFrozen()
    {
        await using var guest = await TestGuest.CreateAsync("thawfail");
        await guest.RestartAgentAsync(["-b", "guest-fsfreeze-thaw"]);
        var admin = server.Admin();
        await (await admin.PostJsonAsync("/api/offerings", new { name = "thaw-test" })).OkJsonAsync();
        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "thaw-test", repository = "default" })).OkJsonAsync();

        var started = await (await admin.PostJsonAsync("/api/backups", new { vm = guest.Name })).OkJsonAsync();
        var instanceId = started["instanceId"]!.GetValue<string>();
        var instance = await server.WaitForEndAsync(instanceId, TimeSpan.FromMinutes(4));

        var journal = (await (await admin.GetAsync($"/api/instances/{instanceId}/journal")).OkJsonAsync()).AsArray();
        var report = string.Join("\n", journal.Select(j => j!.ToJsonString()));
        Assert.True(instance["status"]!.GetValue<string>() == "Faulted", report);
        var incidents = instance["incidents"]!.AsArray().Select(i => i!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(incidents, m => m.Contains("THAW FAILED") && m.Contains(guest.Name) && m.Contains("frozen"));
        // Nothing half-written is registered: the backup is Error, with the thaw failure as its cause.
        var backups = (await (await admin.GetAsync($"/api/backups?vm={guest.Name}")).OkJsonAsync()).AsArray();
        var backup = Assert.Single(backups)!;
        Assert.True(backup["state"]!.GetValue<string>() == "Error", report + backup.ToJsonString());
        Assert.Contains("THAW FAILED", backup["error"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "repository", guest.Name, Guid.Parse(backup["id"]!.GetValue<string>()).ToString("N"))));
        // The disk chain is the one the VM had: its own image, no overlay of this backup left on primary.
        var disk = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda");
        Assert.Equal(guest.RootDiskPath, disk.Source);
        Assert.Empty(Directory.EnumerateFiles(guest.Directory, "*.bwf-*"));
        var chain = await new Kvm.Images.QemuImg(new Kvm.Hosts.LocalHostShell()).BackingChainAsync(guest.RootDiskPath, forceShare: true);
        Assert.Single(chain);
    }
}
