using BackupWorkflows.Kvm.Agent;

namespace BackupWorkflows.Testing.Guests;

// Changing the guest's own agent from inside the guest, for tests of what happens when it misbehaves.
public sealed partial class TestGuest
{
    /// <summary>
    /// Restarts the guest's qemu-ga with extra arguments, e.g. <c>["-b", "guest-fsfreeze-thaw"]</c> for an
    /// agent that freezes but refuses to thaw, and waits until the new agent answers.
    /// </summary>
    /// <remarks>/init restarts /sbin/qemu-ga a second after it exits (its shell has hashed that path), so
    /// the binary moves to /sbin/qemu-ga.real and a wrapper takes its place. The running agent is killed
    /// a second after it answered this call.</remarks>
    public async Task RestartAgentAsync(IReadOnlyList<string> arguments, TimeSpan? limit = null)
    {
        const string Pids = "pidof qemu-ga qemu-ga.real || true";
        const string Killed = "/bwf-agent-killed";
        var before = (await Agent.ShellAsync($"rm -f {Killed}; {Pids}")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await Agent.ShellAsync(
            "[ -e /sbin/qemu-ga.real ] || mv /sbin/qemu-ga /sbin/qemu-ga.real; " +
            "printf '#!/bin/sh\\nexec /sbin/qemu-ga.real %s \"$@\"\\n' \"$1\" > /sbin/qemu-ga && chmod +x /sbin/qemu-ga && " +
            $"(sleep 1; kill $(pidof qemu-ga qemu-ga.real); touch {Killed}) </dev/null >/dev/null 2>&1 &", [string.Join(' ', arguments)]);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        var quick = new GuestAgent(Virsh, Name) { CommandTimeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                // Restarted once the kill has happened (its marker exists), none of the agent's earlier processes is
                // left and a new one answers: a new process list alone could be seen before the delayed kill, which
                // then stopped the agent in the middle of the test.
                var now = (await quick.ShellAsync($"[ -e {Killed} ] && {{ {Pids}; }} || true"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (now.Length > 0 && !now.Intersect(before).Any()) return;
            }
            catch (Exception e) when (e is GuestAgentUnavailableException or Kvm.Hosts.HostCommandException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The restarted agent of '{Name}' did not answer. Console:\n{ConsoleTail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Stops the guest's agent for good (the guest has none until it is recreated) and waits until
    /// it no longer answers.</summary>
    public async Task StopAgentAsync(TimeSpan? limit = null)
    {
        await Agent.ShellAsync("mv /sbin/qemu-ga /sbin/qemu-ga.stopped && " +
            "(sleep 1; kill $(pidof qemu-ga qemu-ga.real qemu-ga.stopped)) </dev/null >/dev/null 2>&1 &");
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        var quick = new GuestAgent(Virsh, Name) { CommandTimeout = TimeSpan.FromSeconds(2) };
        while (await quick.TryPingAsync())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The agent of '{Name}' still answers.");
            await Task.Delay(200);
        }
    }
}
