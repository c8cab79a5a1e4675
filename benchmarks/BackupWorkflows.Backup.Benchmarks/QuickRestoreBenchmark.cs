using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Benchmarks;

/// <summary>
/// Quick restore against a normal restore of the same backup, for disks of several sizes (a
/// quarter of each disk holds data): time from the request to a started VM and to a guest agent
/// that answers, and until the data is consolidated on primary; the guest's cold boot for reference.
/// </summary>
internal static class QuickRestoreBenchmark
{
    public static async Task RunAsync(int[] sizesGiB)
    {
        Console.WriteLine("# Quick restore vs restore (TCG guest; 1/4 of each disk written with data)");
        Console.WriteLine($"{"disk",6} {"cold boot",10} {"qr: VM started",15} {"qr: agent",10} {"qr: consolidated",17} {"restore: agent",15} {"restore total",14} {"agent qr/restore",17} {"consolidation qr/restore",25}");
        foreach (var size in sizesGiB) await RunOneAsync(size);
    }

    private static async Task RunOneAsync(int sizeGiB)
    {
        await using var guest = await TestGuest.CreateAsync($"qrbench{sizeGiB}", new TestGuestOptions { RootDiskMiB = sizeGiB * 1024 });
        await using var bench = await BenchHost.StartAsync(guest.Name);
        // Data written from the host side into the top half of the disk (the file system lives at the start).
        var chunk = 256L << 20;
        for (long offset = sizeGiB * (1L << 30) / 2, end = offset + sizeGiB * (1L << 30) / 4; offset < end; offset += chunk)
            await guest.Virsh.QemuMonitorHmpAsync(guest.Name,
                $"qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"write -P 0x{offset / chunk % 200 + 20:x2} {offset} {chunk}\"");
        var backup = await bench.RunAsync("backup", new JsonObject { ["host"] = "h1", ["vm"] = guest.Name });
        if (backup.Status != WorkflowStatus.Finished) throw new InvalidOperationException($"backup: {backup.Fault}");
        var backupId = backup.Output!["backupId"]!.GetValue<string>();

        var before = await DomIdAsync(guest);
        var watch = Stopwatch.StartNew();
        var id = await bench.Runtime.StartAsync("quick-restore", new JsonObject { ["backupId"] = backupId });
        var started = await WaitForNewDomainAsync(guest, before);
        var agent = await WaitForAgentAsync(guest);
        var quick = await bench.Runtime.WaitAsync(id);
        var consolidated = watch.Elapsed;
        if (quick.Status != WorkflowStatus.Finished) throw new InvalidOperationException($"quick restore: {quick.Fault}");

        before = await DomIdAsync(guest);
        watch.Restart();
        var restore = await bench.RunAsync("restore", new JsonObject { ["backupId"] = backupId, ["start"] = "true" });
        var restored = watch.Elapsed;
        if (restore.Status != WorkflowStatus.Finished) throw new InvalidOperationException($"restore: {restore.Fault}");
        await WaitForNewDomainAsync(guest, before);
        var normalAgent = await WaitForAgentAsync(guest);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sizeGiB + " GiB",6} {guest.BootDuration.TotalSeconds,9:0.0}s {started.TotalSeconds,14:0.0}s {agent.TotalSeconds,9:0.0}s {consolidated.TotalSeconds,16:0.0}s {normalAgent.TotalSeconds,14:0.0}s {restored.TotalSeconds,13:0.0}s {agent / normalAgent,16:0.00}x {consolidated / restored,24:0.00}x"));

        TimeSpan Since() => watch.Elapsed;
        async Task<TimeSpan> WaitForNewDomainAsync(TestGuest g, string old)
        {
            while (await DomIdAsync(g) is var now && (now == old || now == "-")) await Task.Delay(20);
            return Since();
        }
        async Task<TimeSpan> WaitForAgentAsync(TestGuest g)
        {
            var ping = new GuestAgent(g.Virsh, g.Name) { CommandTimeout = TimeSpan.FromSeconds(1) };
            while (!await ping.TryPingAsync()) await Task.Delay(100);
            return Since();
        }
    }

    private static async Task<string> DomIdAsync(TestGuest guest)
    {
        try { return (await guest.Virsh.RunAsync(["domid", guest.Name])).StandardOutput.Trim(); }
        catch (Kvm.Hosts.HostCommandException) { return "-"; }
    }
}
