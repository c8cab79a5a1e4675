using System.CommandLine;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.Kit;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf backup …</c></summary>
internal static class BackupCommands
{
    public static Command Build(BwfApp app)
    {
        var vm = Arg("VM", "VM name.");
        var full = Flag("--full", "Start a new chain with a full backup.");
        var isolated = Flag("--isolated", "A full backup outside any chain.");
        var wait = Flag("--wait", "Show progress until the backup ends.");
        var create = app.Action(Cmd("create", "Backs a VM up now.", vm, full, isolated, wait), async (c, ct) =>
        {
            var p = c.Parse;
            if (p.GetValue(full) && p.GetValue(isolated)) throw new CliUsageException("--full and --isolated exclude each other.");
            var started = await c.Api.PostAsync("api/backups", Body(("vm", p.GetValue(vm)), ("full", p.GetValue(full) ? true : null),
                ("isolated", p.GetValue(isolated) ? true : null)), ct);
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), $"Backup of {p.GetValue(vm)}", ct);
        });

        var vmFilter = Opt("--vm", "Only this VM.");
        var list = app.Action(Cmd("list", "Lists backups, newest first.", vmFilter), async (c, ct) =>
        {
            var query = c.Parse.GetValue(vmFilter) is { } v ? $"?vm={Seg(v)}" : "";
            c.Out.Table(await c.Api.GetAsync($"api/backups{query}", ct), Column.Of("ID", "id"), Column.Of("VM", "vm"),
                Column.Of("TYPE", "type"), Column.Of("STATE", "state"), new Column("CREATED", r => Time(r?["createdAt"])),
                new Column("SIZE", r => Bytes(r?["virtualSize"])), new Column("STORED", r => Bytes(r?["storedSize"])),
                new Column("VALIDATION", r => Column.Text(r?["validation"]?["result"])));
            return 0;
        });

        var showId = Arg("ID", "Backup id.");
        var show = app.Action(Cmd("show", "Shows a backup with its volumes.", showId), async (c, ct) =>
        {
            var backup = await c.Api.GetAsync($"api/backups/{Seg(c.Parse.GetValue(showId)!)}", ct);
            if (c.Out.Json) { c.Out.Raw(backup); return 0; }
            var summary = backup!.DeepClone().AsObject();
            summary.Remove("volumes");
            c.Out.Object(summary);
            c.Out.Table(backup["volumes"], Column.Of("TARGET", "target"), Column.Of("IMAGE", "path"),
                new Column("SIZE", r => Bytes(r?["virtualSize"])), new Column("STORED", r => Bytes(r?["storedSize"])), Column.Of("CHECKSUM", "checksum"));
            return 0;
        });

        var deleteId = Arg("ID", "Backup id.");
        var deleteWait = Flag("--wait", "Wait until the delete has finished.");
        var delete = app.Action(Cmd("delete", "Deletes a backup chain-safely (kept as Removed while newer backups need it).", deleteId, deleteWait), async (c, ct) =>
        {
            var started = await c.Api.DeleteAsync($"api/backups/{Seg(c.Parse.GetValue(deleteId)!)}", ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(deleteWait), $"Delete of backup {c.Parse.GetValue(deleteId)}", ct);
        });

        var validateId = Arg("ID", "Backup id.");
        var validateWait = Flag("--wait", "Show progress until the validation ends.");
        var validate = app.Action(Cmd("validate", "Validates a backup by booting it.", validateId, validateWait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/backups/{Seg(c.Parse.GetValue(validateId)!)}/validate", null, ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(validateWait), "Validation", ct);
        });
        return Group("backup", "Backups.", create, list, show, delete, validate);
    }
}

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
            var body = Body(("backupId", p.GetValue(id)), ("quick", p.GetValue(quick) ? true : null), ("host", p.GetValue(host)),
                ("volume", p.GetValue(volume)), ("toVm", p.GetValue(toVm)), ("asNewVm", p.GetValue(asNew)));
            // One key per invocation: if the request is retried (network error), the server starts nothing new.
            var started = await c.Api.PostAsync("api/restores", body, ct,
                new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString("N") });
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), "Restore", ct);
        });
        return restore;
    }
}
