using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Server.Tests.Guests;

/// <summary>The offering's quiesce policy, set through the API, on a real guest whose agent is stopped.</summary>
public sealed class QuiescePolicyTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task WithoutAnAgent_RequireFailsClearlyLeavingTheVmRunning_PreferBacksUpCrashConsistent()
    {
        await using var guest = await TestGuest.CreateAsync("noagent");
        await guest.StopAgentAsync();
        var admin = server.Admin();
        await (await admin.PostJsonAsync("/api/offerings", new { name = "must-quiesce", quiesce = "require" })).OkJsonAsync();
        await (await admin.PostJsonAsync("/api/offerings", new { name = "may-quiesce", quiesce = "prefer" })).OkJsonAsync();
        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "must-quiesce", repository = "default" })).OkJsonAsync();

        var required = await RunBackupAsync(guest.Name);
        Assert.Equal("Faulted", required["status"]!.GetValue<string>());
        Assert.Contains(required["incidents"]!.AsArray(), i => i!["message"]!.GetValue<string>().Contains("guest agent") && i["message"]!.GetValue<string>().Contains("requires a quiesced backup"));
        Assert.Equal(DomainState.Running, await guest.Virsh.GetStateAsync(guest.Name));
        Assert.Equal(guest.RootDiskPath, (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source);

        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "may-quiesce", repository = "default" })).OkJsonAsync();
        var preferred = await RunBackupAsync(guest.Name);
        Assert.True(preferred["status"]!.GetValue<string>() == "Finished", preferred.ToJsonString());
        var backup = await (await admin.GetAsync($"/api/backups/{preferred["output"]!["backupId"]!.GetValue<string>()}")).OkJsonAsync();
        Assert.Equal("BackedUp", backup["state"]!.GetValue<string>());
        Assert.False(backup["quiesced"]!.GetValue<bool>());
        var journal = (await (await admin.GetAsync($"/api/instances/{preferred["id"]!.GetValue<string>()}/journal")).OkJsonAsync()).AsArray();
        Assert.Contains(journal, j => j!["messages"]!.AsArray().Any(m => m!.GetValue<string>().Contains("continuing crash-consistent")));
    }

    private async Task<System.Text.Json.Nodes.JsonObject> RunBackupAsync(string vm)
    {
        var started = await (await server.Admin().PostJsonAsync("/api/backups", new { vm })).OkJsonAsync();
        return await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>(), TimeSpan.FromMinutes(4));
    }
}
