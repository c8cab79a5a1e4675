using System.Net;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Server.Tests.Api;

/// <summary>VM discovery against the machine's real libvirt: a defined (not started) domain with a real disk image.</summary>
public sealed class VmsTests(ServerFactory server) : IClassFixture<ServerFactory>, IAsyncLifetime
{
    private DefinedDomain _domain = null!;
    private string _vm => _domain.Name;
    private string _disk => _domain.Disk;

    public async Task InitializeAsync() => _domain = await DefinedDomain.DefineAsync("bwf-server-test-");

    public async Task DisposeAsync() => await _domain.DisposeAsync();

    [Fact]
    public async Task List_AssignUnassign_AgainstLibvirt()
    {
        var vms = (await (await server.Admin().GetAsync("/api/vms?host=local")).OkJsonAsync()).AsArray();
        var vm = Assert.Single(vms, v => v!["name"]!.GetValue<string>() == _vm)!;
        Assert.Equal("shut off", vm["state"]!.GetValue<string>());
        Assert.Equal(_disk, vm["disks"]![0]!["file"]!.GetValue<string>());
        Assert.Equal("qcow2", vm["disks"]![0]!["format"]!.GetValue<string>());
        Assert.Null(vm["offering"]);

        await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "silver" })).OkJsonAsync();
        var viewer = await server.ClientInRoleAsync("viewer");
        await (await viewer.PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "silver", repository = "default" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "nope", repository = "default" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await server.Admin().PostJsonAsync("/api/vms/no-such-vm/assign", new { offering = "silver", repository = "default" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "silver", repository = "../etc" })).AssertProblemAsync(HttpStatusCode.BadRequest);

        var assigned = await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "silver", repository = "default" })).OkJsonAsync();
        Assert.Equal("local", assigned["host"]!.GetValue<string>());
        vms = (await (await server.Admin().GetAsync("/api/vms")).OkJsonAsync()).AsArray();
        Assert.Equal("silver", vms.Single(v => v!["name"]!.GetValue<string>() == _vm)!["offering"]!.GetValue<string>());
        await (await server.Admin().DeleteAsync("/api/offerings/silver")).AssertProblemAsync(HttpStatusCode.Conflict);

        var started = await (await server.Admin().PostAsync($"/api/vms/{_vm}/unassign", null)).OkJsonAsync();
        var instance = await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>());
        Assert.Equal("Finished", instance["status"]!.GetValue<string>());
        vms = (await (await server.Admin().GetAsync("/api/vms")).OkJsonAsync()).AsArray();
        Assert.Null(vms.Single(v => v!["name"]!.GetValue<string>() == _vm)!["offering"]);
        await (await server.Admin().PostAsync($"/api/vms/{_vm}/unassign", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Assign_WhileAnUnassignOfThatVmRuns_Is409_AndNeverSilentlyUndone()
    {
        await (await server.Admin().PostJsonAsync("/api/offerings", new { name = "bronze" })).OkJsonAsync();
        await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "bronze", repository = "default" })).OkJsonAsync();
        // Another instance holds the VM's lock, so the unassign workflow is still running when the assign comes (as with a backup running).
        await server.PublishAsync(ServerFactory.TrivialWorkflow("hold-vm", delaySeconds: 600)
            .Replace("\"activities\"", $"\"locks\": [{{\"name\":\"vm:local/{_vm}\"}}], \"activities\""));
        var holder = (await (await server.Admin().PostJsonAsync("/api/workflows/hold-vm/run", new { input = new { } })).OkJsonAsync())["instanceId"]!.GetValue<string>();
        // The holder has the VM's lock once it sleeps on its delay; an unassign started before that could take the lock first and finish.
        await server.WaitForStatusAsync(holder, null, "Suspended");
        var unassign = (await (await server.Admin().PostAsync($"/api/vms/{_vm}/unassign", null)).OkJsonAsync())["instanceId"]!.GetValue<string>();

        var refused = await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "bronze", repository = "default" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("being unassigned", refused["detail"]!.GetValue<string>());
        Assert.Contains(unassign, refused["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await server.Admin().PostAsync($"/api/instances/{holder}/cancel", null)).StatusCode);
        Assert.Equal("Finished", (await server.WaitForEndAsync(unassign))["status"]!.GetValue<string>());
        // Once the unassign has ended, assigning works and stays.
        await (await server.Admin().PostJsonAsync($"/api/vms/{_vm}/assign", new { offering = "bronze", repository = "default" })).OkJsonAsync();
        var vms = (await (await server.Admin().GetAsync("/api/vms")).OkJsonAsync()).AsArray();
        Assert.Equal("bronze", vms.Single(v => v!["name"]!.GetValue<string>() == _vm)!["offering"]!.GetValue<string>());
    }
}
