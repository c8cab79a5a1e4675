using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>Restoring one volume as a new disk (also onto a file system without O_DIRECT), and a whole
/// backup as a new VM beside the original.</summary>
public sealed class RestoreKindsTests
{
    [Fact]
    public async Task OneVolumeAsNewDisk_AttachedToTheRunningVm_AndANewVmWithNewIdentity()
    {
        await using var guest = await TestGuest.CreateAsync("kinds", new TestGuestOptions { DataDiskMiB = 32 });
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/root.txt", "root v1");
        await guest.WriteFileAsync("/mnt/vdb/data.txt", "data v1");
        var backup = await harness.BackupOkAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vdb/data.txt", "data v2");

        var volume = await harness.RestoreAsync(backup.Id, new() { ["volume"] = "vdb" });
        Assert.True(volume.Status == WorkflowStatus.Finished, await harness.DescribeAsync(volume));
        var attachedAs = volume.Outputs?["restoreVolume"]?["attachedAs"]?.GetValue<string>();
        Assert.Equal("vdc", attachedAs);
        await guest.Agent.ShellAsync("i=0; while [ ! -b /dev/vdc ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; mkdir -p /mnt/vdc && mount -t ext4 /dev/vdc /mnt/vdc");
        Assert.Equal("data v1", await guest.ReadFileAsync("/mnt/vdc/data.txt"));
        Assert.Equal("data v2", await guest.ReadFileAsync("/mnt/vdb/data.txt"));

        var newName = guest.Name + " copy 1"; // any name the API accepts (spaces too) must be restorable
        try
        {
            var asNew = await harness.RestoreAsync(backup.Id, new() { ["asNewVm"] = newName });
            Assert.True(asNew.Status == WorkflowStatus.Finished, await harness.DescribeAsync(asNew));
            var original = await guest.Virsh.GetDefinitionAsync(guest.Name);
            var copy = await guest.Virsh.GetDefinitionAsync(newName);
            Assert.NotEqual(original.Uuid, copy.Uuid);
            Assert.DoesNotContain(copy.Disks.Select(d => d.Source), s => original.Disks.Any(o => o.Source == s));
            Assert.Equal(DomainState.Running, await guest.Virsh.GetStateAsync(guest.Name));
            var agent = new GuestAgent(guest.Virsh, newName) { CommandTimeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!await agent.TryPingAsync() && DateTime.UtcNow < deadline) await Task.Delay(250);
            Assert.Equal("root v1", System.Text.Encoding.UTF8.GetString(await agent.ReadFileAsync("/mnt/vda/root.txt")));
            Assert.Equal("data v1", System.Text.Encoding.UTF8.GetString(await agent.ReadFileAsync("/mnt/vdb/data.txt")));

            var again = await harness.RestoreAsync(backup.Id, new() { ["asNewVm"] = newName });
            Assert.Equal(WorkflowStatus.Faulted, again.Status);
            Assert.Contains("already exists", again.Fault);
        }
        finally
        {
            if (await guest.Virsh.ExistsAsync(newName))
            {
                var copy = await guest.Virsh.GetDefinitionAsync(newName, inactive: true);
                try { await guest.Virsh.DestroyAsync(newName); } catch (Kvm.Hosts.HostCommandException) { }
                await guest.Virsh.UndefineAsync(newName);
                foreach (var d in copy.Disks.Where(d => d.Source is not null)) File.Delete(d.Source!);
            }
        }
    }

    [Fact]
    public async Task OneVolumeOntoAFileSystemWithoutODirect_IsCopiedThroughThePageCache()
    {
        await using var guest = await TestGuest.CreateAsync("ramfs");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        var backup = await harness.BackupOkAsync(guest.Name);

        // A stopped VM whose disk lives on ramfs, which refuses O_DIRECT.
        var mount = Path.Combine(Path.GetTempPath(), $"bwf-ramfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(mount);
        await ProcessUtil.RunAsync("mount", "-t", "ramfs", "none", mount);
        var target = guest.Name + "-ramfs";
        try
        {
            var disk = Path.Combine(mount, "disk.qcow2");
            await new Kvm.Images.QemuImg(new Kvm.Hosts.LocalHostShell()).CreateAsync(disk, "qcow2", 16L << 20);
            // type='qemu' like every test guest: libvirt refuses to define a kvm domain on a machine without /dev/kvm
            // ("could not get preferred machine ... type=kvm"); this one is never started anyway.
            await guest.Virsh.DefineAsync($"""
                <domain type='qemu'><name>{target}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
                  <os><type arch='x86_64'>hvm</type></os><seclabel type='none'/>
                  <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/>
                    <target dev='vda' bus='virtio'/></disk></devices></domain>
                """);

            var run = await harness.RestoreAsync(backup.Id, new() { ["volume"] = "vda", ["toVm"] = target });

            Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
            Assert.Contains("does not support O_DIRECT", await harness.DescribeAsync(run));
            var restored = run.Outputs?["restoreVolume"]?["imagePath"]?.GetValue<string>();
            Assert.StartsWith(mount, restored);
            Assert.Equal(Kvm.Images.ImageComparison.Identical,
                await new Kvm.Images.QemuImg(new Kvm.Hosts.LocalHostShell()).CompareAsync(backup.Volumes[0].ImagePath, restored!));
            Assert.Contains((await guest.Virsh.GetDefinitionAsync(target, inactive: true)).Disks, d => d.Source == restored);
        }
        finally
        {
            if (await guest.Virsh.ExistsAsync(target)) await guest.Virsh.UndefineAsync(target);
            await ProcessUtil.RunAsync("umount", mount);
            Directory.Delete(mount);
        }
    }
}
