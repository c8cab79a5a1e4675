using System.Net;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Server.Tests.Api;

/// <summary>VM discovery against the machine's real libvirt: a defined (not started) domain with a real disk image.</summary>
public sealed class VmsTests(ServerFactory server) : IClassFixture<ServerFactory>, IAsyncLifetime
{
    private readonly string _vm = "bwf-server-test-" + Guid.NewGuid().ToString("N")[..8];
    private string _disk = "";

    public async Task InitializeAsync()
    {
        _disk = Path.Combine(Path.GetTempPath(), _vm + ".qcow2");
        await ProcessUtil.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", _disk, "16M");
        var xml = Path.Combine(Path.GetTempPath(), _vm + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'>
              <name>{_vm}</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='{_disk}'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """);
        await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "define", xml);
        File.Delete(xml);
    }

    public async Task DisposeAsync()
    {
        try { await ProcessUtil.RunAsync("virsh", "-c", "qemu:///system", "undefine", _vm); } catch (InvalidOperationException) { }
        File.Delete(_disk);
    }

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
