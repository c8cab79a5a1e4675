using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Snapshots;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BackupWorkflows.Backup.Tests.Fixtures;

/// <summary>The snapshot workflows run through a <see cref="BackupHarness"/>, each to its end.</summary>
public sealed class SnapshotSteps(BackupHarness harness)
{
    private readonly QemuImg _qemuImg = new(new LocalHostShell());

    /// <summary>Takes a snapshot that must succeed and returns its record.</summary>
    public async Task<VmSnapshot> TakeAsync(string vm, string name, string disks = "", bool quiesce = false)
    {
        var run = await TakeRunAsync(vm, name, disks, quiesce);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        return await GetAsync(Guid.Parse(run.Output!["snapshotId"]!.GetValue<string>()));
    }

    /// <summary>Runs snapshot-create to its end, whatever the outcome.</summary>
    public Task<WorkflowInstanceInfo> TakeRunAsync(string vm, string name, string disks = "", bool quiesce = false) =>
        harness.RunAsync("snapshot-create", new JsonObject
        {
            ["host"] = harness.HostName, ["vm"] = vm, ["name"] = name, ["disks"] = disks, ["quiesce"] = quiesce,
        });

    /// <summary>Reverts to a snapshot; the revert must succeed. Returns the instance.</summary>
    public async Task<WorkflowInstanceInfo> RevertAsync(Guid id)
    {
        var run = await harness.RunAsync("snapshot-revert", new JsonObject { ["snapshotId"] = id.ToString() });
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        return run;
    }

    /// <summary>Deletes a snapshot; the delete must succeed. Returns the snapshot's state afterwards.</summary>
    public async Task<VmSnapshot> DeleteAsync(Guid id)
    {
        var run = await harness.RunAsync("snapshot-delete", new JsonObject { ["snapshotId"] = id.ToString() });
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        return await GetAsync(id);
    }

    /// <summary>The snapshot's record as stored now.</summary>
    public async Task<VmSnapshot> GetAsync(Guid id)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SnapshotCatalog>().GetAsync(id);
    }

    /// <summary>The files of a disk's running chain, top first (<c>qemu-img info --backing-chain --output=json</c>).</summary>
    public async Task<List<string>> ChainAsync(Testing.Guests.TestGuest guest, string target = "vda")
    {
        var active = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk(target).Source!;
        return [.. (await _qemuImg.BackingChainAsync(active, forceShare: true)).Select(i => i.Filename)];
    }
}
