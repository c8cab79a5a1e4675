using System.Text.Json.Nodes;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Kvm.Tests.Domains;

/// <summary><c>virsh shutdown --mode agent</c> through <see cref="Virsh.ShutdownAsync"/> on a guest of its own.</summary>
public sealed class AgentShutdownTests
{
    [Fact]
    public async Task ShutdownThroughTheAgent_WaitsForAnAgentNotUpYet_AndNamesOneThatNeverAnswers()
    {
        await using var guest = await TestGuest.CreateAsync("agent-shutdown", new TestGuestOptions { RootDiskMiB = 32, Start = false });
        var virsh = guest.Virsh;

        // Asked the moment the guest starts: its agent connects only seconds later, once the guest booted.
        await virsh.StartAsync(guest.Name);
        await virsh.ShutdownAsync(guest.Name, mode: "agent", waitFor: TimeSpan.FromSeconds(120));
        Assert.Equal(DomainState.ShutOff, await virsh.GetStateAsync(guest.Name));

        // An agent that stopped answering (its process stopped in the guest) is asked until the wait ends, then named.
        await guest.StartAsync(TimeSpan.FromSeconds(120));
        await guest.Agent.ExecuteAsync("guest-exec", new JsonObject
        {
            ["path"] = "/bin/sh",
            ["arg"] = new JsonArray("-c", "sleep 0.2; kill -STOP $(pidof qemu-ga)"),
        });
        var quick = new GuestAgent(virsh, guest.Name) { CommandTimeout = TimeSpan.FromSeconds(2) };
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        while (await quick.TryPingAsync())
        {
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(30), "the guest's qemu-ga still answers after SIGSTOP");
            await Task.Delay(100);
        }

        var error = await Assert.ThrowsAsync<GuestAgentUnavailableException>(
            () => virsh.ShutdownAsync(guest.Name, mode: "agent", waitFor: TimeSpan.FromSeconds(3)));
        Assert.Contains($"Guest agent of '{guest.Name}'", error.Message);
        Assert.Contains("did not answer within 00:00:03", error.Message);
        Assert.Equal(DomainState.Running, await virsh.GetStateAsync(guest.Name));
    }

    [Fact]
    public async Task ShutdownThroughTheAgent_WhoseChannelClosesAsQemuExits_CountsAsDone()
    {
        await using var guest = await TestGuest.CreateAsync("agent-eof", new TestGuestOptions { RootDiskMiB = 32 });
        var virsh = guest.Virsh;
        // The guest's shutdown hangs after saying so on the console: libvirt keeps waiting for the
        // guest's shutdown event while QEMU goes away, so the agent's channel closes first.
        await guest.Agent.WriteFileAsync("/sbin/shutdown", System.Text.Encoding.UTF8.GetBytes("#!/bin/sh\necho 'bwf: shutdown asked' > /dev/console\nsleep 600\n"));

        var shutdown = virsh.ShutdownAsync(guest.Name, mode: "agent", waitFor: TimeSpan.FromSeconds(60));
        var asked = System.Diagnostics.Stopwatch.StartNew();
        while (!guest.ConsoleTail().Contains("bwf: shutdown asked", StringComparison.Ordinal))
        {
            Assert.True(asked.Elapsed < TimeSpan.FromSeconds(60), $"the guest never ran its shutdown. Console:\n{guest.ConsoleTail()}");
            Assert.False(shutdown.IsCompleted, "the shutdown ended before the guest ran it");
            await Task.Delay(100);
        }

        var qemu = int.Parse(await File.ReadAllTextAsync($"/run/libvirt/qemu/{guest.Name}.pid"), System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(qemu).Kill();

        await shutdown;
        Assert.Equal(DomainState.ShutOff, await virsh.GetStateAsync(guest.Name));
    }
}
