using System.CommandLine;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf restore BACKUP_ID …</c></summary>
internal static class RestoreCommands
{
    public static Command Build(BwfApp app)
    {
        var id = Arg("BACKUP_ID", "Backup to restore.");
        var quick = Flag("--quick", "Run the VM from the backup at once; disks move back in the background.");
        var host = Opt("--host", "With --quick: host to run the VM on (default the backup's host).");
        var volume = Opt("--volume", "Restore only this disk (with --to-vm).");
        var toVm = Opt("--to-vm", "VM that receives the restored disk.");
        var asNew = Opt("--as-new-vm", "Restore as a new VM with this name.");
        var wait = Flag("--wait", "Show progress until the restore ends.");
        var restore = app.Action(Cmd("restore", "Restores a backup.", id, quick, host, volume, toVm, asNew, wait), async (c, ct) =>
        {
            var p = c.Parse;
            if ((p.GetValue(volume) is null) != (p.GetValue(toVm) is null)) throw new CliUsageException("--volume and --to-vm go together.");
            var body = new RestoreRequest(asNewVm: p.GetValue(asNew), backupId: BackupId(p.GetValue(id)), host: p.GetValue(host),
                quick: p.GetValue(quick) ? true : null, toVm: p.GetValue(toVm), volume: p.GetValue(volume));
            // One key per invocation: if the request is retried (network error), the server starts nothing new.
            var started = await c.Api.PostAsync("api/restores", body, ct,
                new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString("N") });
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), "Restore", ct);
        });
        return restore;
    }
}
