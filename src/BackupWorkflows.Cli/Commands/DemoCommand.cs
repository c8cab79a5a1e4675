using System.CommandLine;
using System.Diagnostics;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using Spectre.Console;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary>
/// <c>bwf demo</c>: on the server's own machine (host <c>local</c>), creates a small guest (no OS:
/// TCG, one qcow2 disk with a known pattern), backs it up, writes new data into the running guest's
/// disk, backs it up again (incremental), restores the incremental as a new VM and checks the
/// restored disk holds both patterns. Each step is printed.
/// </summary>
/// <remarks>Only touches its own VMs (<c>bwf-demo</c>, <c>bwf-demo-restored</c>) and /var/tmp/bwf-demo.</remarks>
internal static class DemoCommand
{
    private const string Vm = "bwf-demo";
    private const string Restored = "bwf-demo-restored";
    private const string Libvirt = "qemu:///system";
    private static readonly string Dir = "/var/tmp/bwf-demo";

    public static Command Build(BwfApp app) =>
        app.Action(Cmd("demo", "Creates a small guest, backs it up, changes it, backs it up incrementally, restores and validates it."),
            async (c, ct) =>
            {
                var console = c.Out.Console;
                void Step(string text) => console.MarkupLine($"[bold blue]==>[/] {Markup.Escape(text)}");

                Step("Checking the server: workflows 'backup' and 'restore' published, host 'local' present");
                var workflows = (await c.Api.GetAsync<List<WorkflowDefinitionSummary>>("api/workflows", ct))
                    .Where(w => w.PublishedVersion is not null).Select(w => w.Id).ToHashSet();
                if (!workflows.Contains("backup") || !workflows.Contains("restore"))
                    throw new CliUsageException("the server has no published 'backup' and 'restore' workflows.");
                var hosts = await c.Api.GetAsync<List<HostDto>>("api/hosts", ct);
                var hostName = hosts.FirstOrDefault(h => h.Uri == "local")?.Name
                    ?? throw new CliUsageException("the demo runs on the server's machine and needs its host 'local'.");
                var repos = await c.Api.GetAsync<List<RepositoryDto>>("api/repositories", ct);
                var repo = repos.FirstOrDefault()?.Name ?? throw new CliUsageException("the server has no repository.");

                Step($"Creating guest {Vm}: a 64 MiB qcow2 disk holding pattern 0x11 in its first 4 MiB, booted without an OS (TCG)");
                await CleanUpAsync(c, ct);
                Directory.CreateDirectory(Dir);
                var disk = Path.Combine(Dir, $"{Vm}-vda.qcow2");
                await RunAsync(ct, "qemu-img", "create", "-q", "-f", "qcow2", disk, "64M");
                await RunAsync(ct, "qemu-io", "-c", "write -P 0x11 0 4M", disk);
                var xml = Path.Combine(Dir, $"{Vm}.xml");
                await File.WriteAllTextAsync(xml, $"""
                    <domain type='qemu'>
                      <name>{Vm}</name>
                      <memory unit='MiB'>64</memory>
                      <os><type arch='x86_64'>hvm</type></os>
                      <devices>
                        <disk type='file' device='disk'>
                          <driver name='qemu' type='qcow2'/>
                          <source file='{disk}'/>
                          <target dev='vda' bus='virtio'/>
                        </disk>
                      </devices>
                    </domain>
                    """, ct);
                await RunAsync(ct, "virsh", "-c", Libvirt, "define", xml);
                await RunAsync(ct, "virsh", "-c", Libvirt, "start", Vm);

                Step($"Assigning {Vm} to offering 'demo' (chain size 4) and repository '{repo}'");
                try
                {
                    await c.Api.PostAsync("api/offerings", new CreateOfferingRequest(allowFileExtraction: null, allowQuickRestore: null,
                        backupWorkflow: null, chainSize: 4, compress: null, compressionLibrary: null, name: "demo", quickRestoreWorkflow: null, quiesce: null,
                        restoreWorkflow: null, strategy: null, validate: null), ct);
                }
                catch (ApiError e) when (e.Status == 409) { /* exists from an earlier demo */ }
                await c.Api.PostAsync($"api/vms/{Vm}/assign", new AssignVmRequest(host: hostName, offering: "demo", repository: repo), ct);

                Step("Backup 1 (full)");
                var first = await BackupAsync(c, ct);

                Step("Changing the running guest: writing pattern 0x22 at 4 MiB through QEMU");
                await RunAsync(ct, "virsh", "-c", Libvirt, "qemu-monitor-command", Vm, "--hmp",
                    "qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"write -P 0x22 4M 4M\"");

                Step("Backup 2 (incremental)");
                var second = await BackupAsync(c, ct);
                console.WriteLine($"    {first.Type} {first.Id}, then {second.Type} {second.Id} (parent {second.ParentId})");

                Step($"Restoring backup 2 as a new VM {Restored}");
                var started = await c.Api.PostAsync("api/restores", new RestoreRequest(asNewVm: Restored, backupId: second.Id, host: null,
                    quick: null, toVm: null, volume: null), ct, new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString("N") });
                if (InstanceWaiter.Summarise(c, await InstanceWaiter.WaitAsync(c, ApiClient.Read<InstanceStarted>(started).InstanceId, ct), "Restore") != 0) return 1;

                Step("Validating: the restored disk must hold 0x11 in its first 4 MiB and 0x22 in the next 4 MiB");
                var vms = await c.Api.GetAsync<List<VmInfo>>($"api/vms?host={Seg(hostName)}", ct);
                var restoredDisk = vms.FirstOrDefault(v => v.Name == Restored)?.Disks.FirstOrDefault()?.File
                    ?? throw new CliUsageException($"the restored VM {Restored} was not found on host {hostName}.");
                var check = await RunAsync(ct, "qemu-io", "-r", "-U", "-c", "read -P 0x11 0 4M", "-c", "read -P 0x22 4M 4M", restoredDisk);
                if (check.Contains("Pattern verification failed", StringComparison.Ordinal))
                {
                    console.MarkupLine("[red]The restored disk does not hold the data that was backed up.[/]");
                    console.WriteLine(check);
                    return 1;
                }
                if (workflows.Contains("validate-backup"))
                {
                    Step("Validating backup 2 with the validate-backup workflow");
                    var validation = await c.Api.PostAsync($"api/backups/{second.Id}/validate", null, ct);
                    if (InstanceWaiter.Summarise(c, await InstanceWaiter.WaitAsync(c, ApiClient.Read<InstanceStarted>(validation).InstanceId, ct), "Validation") != 0) return 1;
                }
                console.MarkupLine($"[green]Demo done.[/] Restored disk {Markup.Escape(restoredDisk)} holds the data of both backups.");
                console.WriteLine($"Explore: bwf backup list --vm {Vm}; bwf run list. Clean up: bwf demo runs clean up first, or virsh destroy/undefine {Vm} {Restored}.");
                return 0;
            });

    private static async Task<BackupDto> BackupAsync(CliContext c, CancellationToken ct)
    {
        var started = await c.Api.PostAsync("api/backups", new CreateBackupRequest(full: null, host: null, isolated: null, vm: Vm), ct);
        var final = await InstanceWaiter.WaitAsync(c, ApiClient.Read<InstanceStarted>(started).InstanceId, ct);
        if (InstanceWaiter.Summarise(c, final, "Backup") != 0) throw new CliUsageException("the backup failed; see the incident above.");
        return (await c.Api.GetAsync<List<BackupDto>>($"api/backups?vm={Vm}", ct)).First();
    }

    /// <summary>Removes what an earlier demo left: its VMs, its assignment and its directory (never anything else).</summary>
    private static async Task CleanUpAsync(CliContext c, CancellationToken ct)
    {
        foreach (var vm in new[] { Vm, Restored })
        {
            await TryRunAsync(ct, "virsh", "-c", Libvirt, "destroy", vm);
            await TryRunAsync(ct, "virsh", "-c", Libvirt, "undefine", vm);
        }
        try
        {
            var started = await c.Api.PostAsync($"api/vms/{Vm}/unassign", null, ct);
            await InstanceWaiter.WaitAsync(c, started!["instanceId"]!.GetValue<string>(), ct);
        }
        catch (ApiError e) when (e.Status == 404) { }
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }

    private static async Task TryRunAsync(CancellationToken ct, string program, params string[] args)
    {
        try { await RunAsync(ct, program, args); } catch (CliUsageException) { }
    }

    /// <summary>Runs a local program (argument list); returns stdout, throws with stderr on failure.</summary>
    private static async Task<string> RunAsync(CancellationToken ct, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new CliUsageException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new CliUsageException($"{program} {string.Join(' ', args)} failed: {(await stderr).Trim()}");
        return await stdout + await stderr;
    }
}
